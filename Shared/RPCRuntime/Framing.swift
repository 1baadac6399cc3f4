import NIOCore
import NIOExtras

/// The default largest frame either side accepts: 16 MiB.
public let defaultMaximumFrameBytes = 16 * 1024 * 1024

/// A frame whose announced length is above the configured maximum. The connection
/// cannot be resynchronised after it (its bytes would have to be skipped on trust), so
/// the server answers once and closes.
public struct FrameTooLargeError: Error, Sendable, Hashable {
    public let announcedBytes: Int
    public let maximumBytes: Int
}

/// NIOExtras' `LengthFieldBasedFrameDecoder` with the one thing it lacks: a maximum.
///
/// Why: the decoder would otherwise buffer up to 4 GiB for a single announced length,
/// which a broken or hostile client can use to exhaust memory. The length is checked
/// as soon as its four bytes are in, before any payload is buffered.
public final class BoundedFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    private let lengthFieldDecoder = LengthFieldBasedFrameDecoder(lengthFieldBitLength: .thirtyTwoBits, lengthFieldEndianness: .big)
    private let maximumFrameBytes: Int
    /// True while the next bytes are a length field. The inner decoder consumes the
    /// length as soon as it has it, so after a `.needMoreData` with a length read, the
    /// buffer starts inside a frame body and must not be read as a length.
    private var expectingLength = true

    public init(maximumFrameBytes: Int = defaultMaximumFrameBytes) {
        self.maximumFrameBytes = maximumFrameBytes
    }

    public func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if expectingLength {
            guard let announced = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
                return .needMoreData
            }
            guard Int(announced) <= maximumFrameBytes else {
                throw FrameTooLargeError(announcedBytes: Int(announced), maximumBytes: maximumFrameBytes)
            }
        }
        let state = try lengthFieldDecoder.decode(context: context, buffer: &buffer)
        // `.continue`: a whole frame went up and the next bytes are a length again.
        // `.needMoreData`: the length is consumed and the body is incomplete.
        expectingLength = state == .continue
        return state
    }

    public func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // Whole frames still buffered are served; a partial frame at EOF is dropped:
        // the peer has stopped sending and it can never complete.
        while case .continue = try decode(context: context, buffer: &buffer) {}
        return .needMoreData
    }
}
