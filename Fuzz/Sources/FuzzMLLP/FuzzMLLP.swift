import Foundation
import LibFuzzerDriver
import SwablineCore

/// MLLP framing over any byte stream, in any chunking.
///
/// 1. The input's bytes, split at 0x00 into messages (framing bytes taken
///    out), are framed and fed back in chunks whose sizes the input picks:
///    the frames out are the messages in.
/// 2. The input itself, as a stream: fed whole or in those chunks, the
///    same frames come out before the same error, if any, and no frame
///    out holds a framing byte or exceeds the limit.
@main enum FuzzMLLP {
    static func main() {
        exit(swabline_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzMLLP))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMLLP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let sizes = bytes.isEmpty ? [1] : bytes.map { 1 + Int($0 % 29) }
    func chunks(_ stream: [UInt8]) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var start = 0
        var turn = 0
        while start < stream.count {
            let end = min(stream.count, start + sizes[turn % sizes.count])
            out.append(stream[start..<end])
            start = end
            turn += 1
        }
        return out
    }

    let messages = bytes.filter { $0 != MLLPFramer.startByte && $0 != MLLPFramer.endByte }
        .split(separator: 0, omittingEmptySubsequences: false).map(Array.init)
    let stream = messages.flatMap(MLLPFramer.frame)
    var framer = MLLPFramer(maxFrameSize: max(1, bytes.count))
    var frames: [[UInt8]] = []
    for chunk in chunks(stream) {
        do {
            frames += try framer.feed(chunk)
        } catch {
            fatalError("framed messages refused: \(error)")
        }
    }
    guard frames == messages, framer.isIdle else { fatalError("framed \(messages), read back \(frames)") }

    func run(_ pieces: [ArraySlice<UInt8>]) -> (frames: [[UInt8]], error: MLLPError?) {
        var framer = MLLPFramer(maxFrameSize: 64)
        var frames: [[UInt8]] = []
        for piece in pieces + [[]] {
            do {
                frames += try framer.feed(piece)
            } catch {
                return (frames, error)
            }
        }
        return (frames, nil)
    }
    let whole = run([bytes[...]])
    let chunked = run(chunks(bytes))
    guard whole.frames == chunked.frames, whole.error == chunked.error else {
        fatalError("whole: \(whole), in chunks: \(chunked)")
    }
    for frame in whole.frames where frame.count > 64 || frame.contains(MLLPFramer.startByte) || frame.contains(MLLPFramer.endByte) {
        fatalError("frame \(frame) read")
    }
    return 0
}
