/// Why an MLLP byte stream is out of step. After any of these the
/// connection should be closed: where the next frame starts is unknown.
public enum MLLPError: Error, Sendable, Hashable {
    /// A frame grew past the framer's `maxFrameSize`.
    case frameTooLarge(limit: Int)
    /// A byte other than whitespace between frames.
    case byteOutsideFrame(UInt8)
    /// A start byte (0x0B) inside a frame: the sender began again without ending.
    case startInsideFrame
    /// An end byte (0x1C) not followed by a carriage return.
    case endWithoutCarriageReturn(UInt8)
}

/// MLLP framing (HL7's Minimal Lower Layer Protocol): each message is sent
/// as `0x0B` + message + `0x1C 0x0D`.
///
/// A pure state machine over bytes, so any chunking gives the same frames:
/// a frame split over many reads, several frames in one read. A receiver
/// must read until `0x1C 0x0D`, never trust one read to hold a message.
/// Whitespace (space, tab, CR, LF) between frames is skipped; anything else
/// there is an error, and so is a frame larger than `maxFrameSize`.
public struct MLLPFramer: Sendable {
    public static let startByte: UInt8 = 0x0B
    public static let endByte: UInt8 = 0x1C
    public static let carriageReturn: UInt8 = 0x0D

    /// The largest message accepted, in bytes: by default `HL7Message.maxBytes`.
    public let maxFrameSize: Int

    private enum State: Sendable {
        case between
        case inside
        case afterEnd
        case failed(MLLPError)
    }

    private var state = State.between
    private var buffer: [UInt8] = []

    public init(maxFrameSize: Int = HL7Message.maxBytes) {
        self.maxFrameSize = maxFrameSize
    }

    /// True between frames: nothing half-read is held.
    public var isIdle: Bool {
        if case .between = state { return true }
        return false
    }

    /// `bytes` as they arrived; returns the messages (without framing)
    /// that they complete, in order.
    ///
    /// On a bad byte: the frames completed before it in this call are
    /// returned and the error is thrown by the next call; when there are
    /// none, it is thrown at once. Either way the rest is not read, and
    /// every later call throws the same error.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(MLLPError) -> [[UInt8]] {
        if case let .failed(error) = state { throw error }
        var frames: [[UInt8]] = []
        for byte in bytes {
            if let error = step(byte, into: &frames) {
                state = .failed(error)
                buffer = []
                if frames.isEmpty { throw error }
                return frames
            }
        }
        return frames
    }

    /// One byte; the error it causes, if any.
    private mutating func step(_ byte: UInt8, into frames: inout [[UInt8]]) -> MLLPError? {
        switch state {
        case .between:
            switch byte {
            case Self.startByte: state = .inside
            case 0x20, 0x09, 0x0D, 0x0A: break
            default: return .byteOutsideFrame(byte)
            }
        case .inside:
            switch byte {
            case Self.endByte: state = .afterEnd
            case Self.startByte: return .startInsideFrame
            default:
                guard buffer.count < maxFrameSize else { return .frameTooLarge(limit: maxFrameSize) }
                buffer.append(byte)
            }
        case .afterEnd:
            guard byte == Self.carriageReturn else { return .endWithoutCarriageReturn(byte) }
            frames.append(buffer)
            buffer = []
            state = .between
        case let .failed(error):
            return error
        }
        return nil
    }

    /// `message` framed for sending. The message must hold neither 0x0B
    /// nor 0x1C (`HL7Message.encoded()` escapes both).
    public static func frame(_ message: [UInt8]) -> [UInt8] {
        [startByte] + message + [endByte, carriageReturn]
    }
}
