import Metrics
import Synchronization

/// The one writer, committing many requests in one transaction (group
/// commit): durability costs one fsync per batch, not one per request.
///
/// Requests queue up while a batch is being written; the next batch takes
/// all of them (up to `maxBatch`). Each request runs in its own savepoint,
/// so one that fails is rolled back alone and gets its own error while its
/// neighbours commit. Nobody is answered before the batch's COMMIT returned:
/// a 2xx still means on disk (rule 5). A lone request under light load is
/// written at once: nothing waits for a batch to fill.
final class GroupCommitWriter: Sendable {
    private struct Job: Sendable {
        let body: @Sendable (SQLSession) throws -> any Sendable
        let done: CheckedContinuation<any Sendable, any Error>
    }

    private struct Queue {
        var jobs: [Job] = []
        var draining = false
        var stats = WriterStats()
    }

    private let database: StoreDatabase
    let maxBatch: Int
    private let queue = Mutex(Queue())

    init(database: StoreDatabase, maxBatch: Int) {
        self.database = database
        self.maxBatch = max(1, maxBatch)
    }

    /// Counters for tests and metrics.
    var stats: WriterStats { queue.withLock { $0.stats } }

    /// Runs `body` in the next batch's transaction and returns its result
    /// once that batch is committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { (done: CheckedContinuation<any Sendable, any Error>) in
            let start = queue.withLock { queue -> Bool in
                queue.jobs.append(Job(body: { try body($0) }, done: done))
                if queue.draining { return false }
                queue.draining = true
                return true
            }
            // The drain ends by itself when the queue is empty; it never outlives the requests it serves.
            if start { Task { await self.drain() } }
        }
        return value as! T
    }

    /// Requests per transaction, and the time from BEGIN to a durable COMMIT
    /// (swift-metrics: whatever backend the process bootstrapped, Prometheus in `serve`).
    static let batchSize = Recorder(label: "swabline_writer_batch_size")
    static let commitTime = Metrics.Timer(label: "swabline_writer_commit_seconds")

    private func drain() async {
        while true {
            let batch = queue.withLock { queue -> [Job] in
                let batch = Array(queue.jobs.prefix(maxBatch))
                queue.jobs.removeFirst(batch.count)
                if batch.isEmpty { queue.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            let started = ContinuousClock.now
            let results: [Result<any Sendable, any Error>]
            do {
                results = try await database.writeTransaction { db in
                    var results: [Result<any Sendable, any Error>] = []
                    results.reserveCapacity(batch.count)
                    // Savepoints by cached statements: GRDB's inSavepoint prepares its SQL on
                    // every call, a measurable share of a check-in at thousands a second.
                    for job in batch {
                        try db.cachedStatement(sql: "SAVEPOINT request").execute()
                        do {
                            let value = try job.body(db)
                            try db.cachedStatement(sql: "RELEASE SAVEPOINT request").execute()
                            results.append(.success(value))
                        } catch let error as SQLError where error.endsTransaction {
                            // PostgreSQL wants the whole batch again, or the connection is gone.
                            throw error
                        } catch {
                            // This request alone is undone; its neighbours stay in the batch.
                            try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT request").execute()
                            try db.cachedStatement(sql: "RELEASE SAVEPOINT request").execute()
                            results.append(.failure(error))
                        }
                    }
                    return results
                }
            } catch {
                // The COMMIT itself failed: nothing of this batch is on disk, so nobody is told it is.
                results = batch.map { _ in .failure(error) }
            }
            Self.batchSize.record(batch.count)
            Self.commitTime.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
            queue.withLock { queue in
                queue.stats.batches += 1
                queue.stats.requests += batch.count
                queue.stats.largestBatch = max(queue.stats.largestBatch, batch.count)
            }
            for (job, result) in zip(batch, results) { job.done.resume(with: result) }
        }
    }
}

/// How the writer has been batching.
public struct WriterStats: Sendable, Equatable {
    public var batches = 0
    public var requests = 0
    public var largestBatch = 0
}

extension Duration {
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
