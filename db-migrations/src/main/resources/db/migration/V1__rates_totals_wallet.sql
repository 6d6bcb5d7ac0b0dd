-- Per-hasher 1-second hash rate windows (event time = when hashing finished). The sink writes absolute values,
-- so a replayed update overwrites instead of adding. Old windows are deleted by the sink after the retention.
CREATE TABLE hash_rates (
    window_start    timestamptz NOT NULL,
    hasher          text        NOT NULL,
    window_end      timestamptz NOT NULL,
    hashes          bigint      NOT NULL CHECK (hashes >= 0),
    coins           bigint      NOT NULL CHECK (coins >= 0),
    blocks          bigint      NOT NULL CHECK (blocks >= 0),
    last_created_at timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- window_start first: the dashboard asks for "the last five minutes, every hasher" as one index range.
    PRIMARY KEY (window_start, hasher)
);

-- Lifetime totals per hasher; they only grow, and the sink never lets an older value overwrite a newer one.
CREATE TABLE hasher_totals (
    hasher          text        PRIMARY KEY,
    hashes          bigint      NOT NULL CHECK (hashes >= 0),
    coins           bigint      NOT NULL CHECK (coins >= 0),
    blocks          bigint      NOT NULL CHECK (blocks >= 0),
    last_hashed_at  timestamptz NOT NULL,
    last_created_at timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- The wallet: one row per coin, unique by hash. Every row can be re-verified from seed, nonce and difficulty.
CREATE TABLE coins (
    hash       char(64)    PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
    seed       char(64)    NOT NULL CHECK (seed ~ '^[0-9a-f]{64}$'),
    nonce      bigint      NOT NULL CHECK (nonce >= 0),
    difficulty integer     NOT NULL CHECK (difficulty BETWEEN 8 AND 64),
    block      text        NOT NULL,
    hasher     text        NOT NULL,
    found_at   timestamptz NOT NULL,
    stored_at  timestamptz NOT NULL DEFAULT now()
);

-- "Newest coins first", paged, for the dashboard.
CREATE INDEX coins_found_at ON coins (found_at DESC, hash);
