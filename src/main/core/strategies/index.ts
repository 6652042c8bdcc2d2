// The algorithms behind the strategies. The strategies themselves (each one's offline
// and live order) are registered in registry.ts, which is not re-exported here: the
// live orders in ../selection import these algorithms, so re-exporting it (or strategy.ts,
// whose types name those live orders) would be a cycle.
export { fpsDenseOrder, DEFAULT_DENSE_QUANTILE } from './fps-dense';
export { typiclustBatch, typiclustBatchSizes, typiclustOrder, DEFAULT_TYPICLUST_BATCH } from './typiclust';
export { exactTypicality, knnTypicality, typicality, typicalityOfRows, TYPICALITY_EXACT_LIMIT, TYPICALITY_HNSW, TYPICALITY_NEIGHBOURS } from './typicality';
export { autoOrder, coverOrder, probcoverOrder, AUTO_MIN_GAIN } from './probcover';
export { ballPurityRadius, DEFAULT_BALL_PURITY, DEFAULT_PURITY_CLUSTERS } from './ball-radius';
export { BallCover } from './ball-cover';
export { coverBalls, COVER_SAMPLE_LIMIT } from './cover-balls';
