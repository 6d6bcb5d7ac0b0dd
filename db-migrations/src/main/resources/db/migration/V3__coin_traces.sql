-- The trace of the block that mined a coin, when that block was traced (sampled; ./miner up --observe): the W3C
-- traceparent of the sink's write of the row. The dashboard links the coin to that trace and continues it when it
-- pushes the coin to its viewers. Null for a coin whose block was not traced.
ALTER TABLE coins ADD COLUMN trace_parent text
    CHECK (trace_parent ~ '^00-[0-9a-f]{32}-[0-9a-f]{16}-01$');
