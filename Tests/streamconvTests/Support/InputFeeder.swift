// Feeding a child's standard input from a thread of its own, so the test thread can read the
// child's output at the same time (a generator of any length, never stored whole).
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Writes the chunks `chunk(0)`, `chunk(1)`, ... into `fd` until `chunk` returns nil, a
/// write fails (EPIPE once the reader exited), or ``stop()``. Never closes `fd`: the owner
/// closes it after ``waitUntilFinished(timeout:)`` returned true.
final class InputFeeder: Sendable {
    struct Outcome: Sendable {
        var bytesWritten = 0
        var chunksWritten = 0
        /// The errno of the write that failed, if one did (EPIPE: the reader went away).
        var writeError: Int32?
        var finished = false
    }

    private let outcome = Mutex(Outcome())
    private let stopRequested = Atomic<Bool>(false)
    private let finishedSignal = DispatchSemaphore(value: 0)

    init(fd: Int32, chunk: @escaping @Sendable (Int) -> [UInt8]?) {
        let thread = Thread { [self] in
            var written = 0
            var index = 0
            var failure: Int32?
            feeding: while !stopRequested.load(ordering: .relaxed), let bytes = chunk(index) {
                let ok = bytes.withUnsafeBytes { raw -> Bool in
                    var offset = 0
                    while offset < raw.count {
                        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                        if n < 0 {
                            if errno == EINTR { continue }
                            failure = errno
                            return false
                        }
                        offset += n
                        written += n
                    }
                    return true
                }
                if !ok { break feeding }
                index += 1
                if index % 64 == 0 {
                    let (w, i) = (written, index)
                    outcome.withLock {
                        $0.bytesWritten = w
                        $0.chunksWritten = i
                    }
                }
            }
            let (w, i, f) = (written, index, failure)
            outcome.withLock { $0 = Outcome(bytesWritten: w, chunksWritten: i, writeError: f, finished: true) }
            finishedSignal.signal()
        }
        thread.name = "InputFeeder"
        thread.start()
    }

    /// Asks the feeder to stop before its next chunk (a write blocked on a full pipe ends only
    /// when the reader reads or exits).
    func stop() { stopRequested.store(true, ordering: .relaxed) }

    /// Waits up to `timeout` for the feeder to finish; true if it did.
    func waitUntilFinished(timeout: Duration) -> Bool {
        if outcome.withLock({ $0.finished }) { return true }
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        guard finishedSignal.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success else { return false }
        finishedSignal.signal() // let later calls return at once too
        return true
    }

    /// What it did so far (final once `finished`).
    var result: Outcome { outcome.withLock { $0 } }
}
