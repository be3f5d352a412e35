package dev.switchboard.server.realtime;

import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.messages.PacketsMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Makes a Socket.io v4 {@code CONNECT} without an auth payload ({@code 40}, what a client sends
 * when it was given no {@code auth} at all) reach the namespace's auth-token listeners as an
 * empty one ({@code 40{}}).
 *
 * <p>Why: netty-socketio 2.0.14 ({@code InPacketHandler}) calls the {@code AuthTokenListener}s
 * only when the CONNECT carries data; a bare {@code 40} is answered {@code CONNECT} at once, so a
 * client with no key got {@code connect} and was dropped 3 s later by the grace timer. Seen as
 * {@code {}}, the connection is judged by the one listener in {@link SocketHub} like any other:
 * refused with {@code connect_error} unless the handshake's {@code ?token=} already authorized it.
 *
 * <p>It sits just before netty-socketio's packet handler and sees each {@link PacketsMessage}
 * (one websocket frame, or one polling POST body whose packets are separated by {@code 0x1e}).
 * Only packets that are exactly {@code 40} (the default namespace, no payload) are rewritten;
 * everything else passes untouched and uncopied. Stateless and shared by every channel.
 */
@ChannelHandler.Sharable
final class BareConnect extends ChannelInboundHandlerAdapter {

    static final String NAME = "switchboard-bare-connect";

    private static final byte SEPARATOR = 0x1e;
    private static final byte[] EMPTY_AUTH = {'4', '0', '{', '}'};

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof PacketsMessage m && m.getClient() != null
            && EngineIOVersion.V4.equals(m.getClient().getEngineIOVersion())) {
            ByteBuf rewritten = withEmptyAuth(m.getContent());
            if (rewritten != null) {
                try {
                    // netty-socketio decodes the packets synchronously; the transport keeps owning the original
                    ctx.fireChannelRead(new PacketsMessage(m.getClient(), rewritten, m.getTransport()));
                } finally {
                    rewritten.release();
                }
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** {@code content} with each bare {@code 40} packet made {@code 40{}}, or {@code null} when it has none. */
    static ByteBuf withEmptyAuth(ByteBuf content) {
        int from = content.readerIndex();
        int end = content.writerIndex();
        ByteBuf out = null;
        int copied = from;
        for (int start = from; start <= end; ) {
            int sep = content.indexOf(start, end, SEPARATOR);
            int stop = sep < 0 ? end : sep;
            if (stop - start == 2 && content.getByte(start) == '4' && content.getByte(start + 1) == '0') {
                if (out == null) {
                    out = Unpooled.buffer(end - from + EMPTY_AUTH.length);
                }
                out.writeBytes(content, copied, start - copied).writeBytes(EMPTY_AUTH);
                copied = stop;
            }
            if (sep < 0) {
                break;
            }
            start = sep + 1;
        }
        if (out != null) {
            out.writeBytes(content, copied, end - copied);
        }
        return out;
    }
}
