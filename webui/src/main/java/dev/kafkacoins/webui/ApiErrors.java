package dev.kafkacoins.webui;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * Errors as {@code application/problem+json} (RFC 9457). A bad parameter names itself in the detail and in a
 * {@code parameter} property, including when Spring could not even convert it ({@code ?page=abc}).
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {

    static ErrorResponseException badParameter(String name, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "'" + name + "' " + detail);
        problem.setTitle("Invalid request parameter");
        problem.setProperty("parameter", name);
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    static ErrorResponseException problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        MethodParameter parameter = ex.getMethodParameter();
        if (parameter == null || parameter.getParameterName() == null) {
            return super.handleServerWebInputException(ex, headers, status, exchange);
        }
        ErrorResponseException bad = badParameter(parameter.getParameterName(), "is not a valid "
                + parameter.getParameterType().getSimpleName()
                + ("Instant".equals(parameter.getParameterType().getSimpleName())
                        ? " (ISO-8601, e.g. 2026-11-22T09:00:00Z)" : ""));
        return handleExceptionInternal(bad, bad.getBody(), headers, HttpStatus.BAD_REQUEST, exchange);
    }
}
