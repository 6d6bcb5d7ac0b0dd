package dev.kafkacoins.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A Prometheus setting the webui cannot use fails at startup, in a line that names the key. */
@Timeout(10)
class WebuiPropertiesTest {

    @ParameterizedTest
    @ValueSource(strings = {"localhost:9090", "/prometheus", "ftp://127.0.0.1:9090", "file:///etc/passwd"})
    void anAddressThatIsNotHttpIsRefused(String url) {
        assertThatIllegalArgumentException().isThrownBy(() -> prometheus(url, null, null))
                .withMessage("webui.prometheus.url must be an http(s) address such as http://127.0.0.1:9090, got "
                        + url);
    }

    @Test
    void aLoginInTheAddressIsRefusedInFavourOfTheTwoKeysAndItsPasswordIsNotRepeated() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> prometheus("http://miner:secret@127.0.0.1:9090", null, null))
                .withMessage("webui.prometheus.url takes no user: set webui.prometheus.username and "
                        + "webui.prometheus.password instead, got an address with a login in it");
        // Without the scheme, the user parses as one: refused as not http(s), and still not repeated.
        assertThatIllegalArgumentException().isThrownBy(() -> prometheus("miner:secret@127.0.0.1:9090", null, null))
                .withMessageNotContaining("secret");
    }

    @Test
    void theZipkinAddressTheCoinsLinkToIsAnHttpAddressWithoutALogin() {
        assertThatIllegalArgumentException().isThrownBy(() -> zipkin("ftp://127.0.0.1:9411"))
                .withMessage("webui.zipkin-url must be an http(s) address such as http://127.0.0.1:9411, got "
                        + "ftp://127.0.0.1:9411");
        assertThatIllegalArgumentException().isThrownBy(() -> zipkin("http://miner:secret@127.0.0.1:9411"))
                .withMessage("webui.zipkin-url takes no user, got an address with a login in it");
        assertThat(zipkin("http://127.0.0.1:9411/").zipkinBase()).isEqualTo("http://127.0.0.1:9411");
        assertThat(new WebuiProperties(Duration.ofSeconds(15), prometheus(null, null, null), null).zipkinBase())
                .isNull();
    }

    @Test
    void aUserWithoutAPasswordAndALoginWithoutAnAddressAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> prometheus("http://127.0.0.1:9090", "miner", null))
                .withMessage("webui.prometheus.username and webui.prometheus.password go together: set both or "
                        + "neither");
        assertThatIllegalArgumentException().isThrownBy(() -> prometheus(null, "miner", "pw"))
                .withMessage("webui.prometheus.username is set but webui.prometheus.url is not");
    }

    @Test
    void theBaseHasNoTrailingSlashAndThePasswordNeverShows() {
        WebuiProperties.Prometheus p = prometheus("http://127.0.0.1:9090/", "miner", "s3cret");
        assertThat(p.base()).isEqualTo("http://127.0.0.1:9090");
        assertThat(p.toString()).doesNotContain("s3cret");
        assertThat(prometheus(null, null, null).configured()).isFalse();
    }

    private static WebuiProperties.Prometheus prometheus(String url, String user, String password) {
        return new WebuiProperties.Prometheus(url == null ? null : URI.create(url), user, password);
    }

    private static WebuiProperties zipkin(String url) {
        return new WebuiProperties(Duration.ofSeconds(15), prometheus(null, null, null), URI.create(url));
    }
}
