package dev.kafkacoins.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoinRowsTest {

    private static final String HASH = "00" + "a".repeat(62);
    private static final String SEED = "b".repeat(64);

    @Test
    void aRowMapsToTheCoinItStores() {
        Map<String, Object> row = Map.of("hash", HASH, "seed", SEED, "nonce", 42L, "difficulty", 8L,
                "block", "rng-a-1", "hasher", "h-t0", "found_at", 1_700_000_000_123L);
        Coin coin = CoinRows.coin(new CoinRows.Columns<RuntimeException>() {
            @Override
            public String text(String column) {
                return (String) row.get(column);
            }

            @Override
            public long number(String column) {
                return (Long) row.get(column);
            }

            @Override
            public long epochMillis(String column) {
                return (Long) row.get(column);
            }
        });
        assertThat(coin).isEqualTo(Coin.of(HASH, SEED, 42, 8, "rng-a-1", "h-t0", 1_700_000_000_123L));
    }

    @Test
    void theSelectNamesEveryColumnTheMappingReads() {
        assertThat(Arrays.stream(CoinRows.COLUMNS.split(", ")))
                .containsExactly("hash", "seed", "nonce", "difficulty", "block", "hasher", "found_at");
        assertThat(CoinRows.SELECT).isEqualTo("SELECT " + CoinRows.COLUMNS + " FROM coins");
    }
}
