package dev.kafkacoins.aggregator;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * One memory budget for all of this process's RocksDB state stores, off the Java heap: by default Kafka Streams
 * gives every RocksDB instance its own 50 MiB block cache and up to 3 × 16 MiB of memtables, and the rate store
 * alone is several instances per partition (one per time segment), so the total grows with partitions and time
 * rather than with the pod's memory limit. Here every store shares one block cache of {@link #TOTAL_BYTES}, and
 * their memtables are charged to the same cache through one write buffer manager (at most {@link #MEMTABLE_BYTES}),
 * so data, index and filter blocks and memtables together stay near that total (RocksDB may briefly exceed it
 * rather than fail a read; the pod's limit leaves room for that, see ImageChecks in the k8s module).
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    static final long TOTAL_BYTES = 48L * 1024 * 1024;
    static final long MEMTABLE_BYTES = 16L * 1024 * 1024;
    /** The cache's high-priority share, where index and filter blocks stay ahead of data blocks. */
    private static final double INDEX_AND_FILTER_SHARE = 0.1;

    private static final Cache CACHE;
    private static final WriteBufferManager MEMTABLES;

    static {
        RocksDB.loadLibrary();
        CACHE = new LRUCache(TOTAL_BYTES, -1, false, INDEX_AND_FILTER_SHARE);
        MEMTABLES = new WriteBufferManager(MEMTABLE_BYTES, CACHE);
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        // Index and filter blocks in the cache, so they count against the budget instead of growing beside it.
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(MEMTABLES);
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing per store: the cache and the write buffer manager are shared by all stores and live as long as
        // the process (a store closed at a rebalance must not take them from the others).
    }
}
