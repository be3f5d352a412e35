package dev.switchboard.server.realtime;

import com.corundumstudio.socketio.SocketIOChannelInitializer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.WriteTimeoutHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * netty-socketio's pipeline with Netty's {@link WriteTimeoutHandler} in front of the socket: a
 * client that has not taken a frame within the timeout (a laptop asleep with its connection
 * open, a client far slower than the feed) is closed instead of having every push buffered for
 * it until TCP gives up. netty-socketio cannot close such a connection by itself: its disconnect
 * closes only after the disconnect packet is written, which never happens. The client reconnects
 * and resumes from its last seq; nothing it missed is lost.
 *
 * <p>The pipeline also has {@link BareConnect} before netty-socketio's packet handler, so that a v4
 * client that sent no {@code auth} is judged by the auth-token listener like any other.
 */
final class WriteGuard extends SocketIOChannelInitializer {

    private static final Logger LOG = Logger.getLogger(WriteGuard.class.getName());

    private static final BareConnect BARE_CONNECT = new BareConnect();

    private final long timeoutMs;
    private final LongAdder closed = new LongAdder();

    WriteGuard(Duration timeout) {
        this.timeoutMs = timeout.toMillis();
    }

    @Override
    protected void addSocketioHandlers(ChannelPipeline pipeline) {
        super.addSocketioHandlers(pipeline);
        pipeline.addBefore(PACKET_HANDLER, BareConnect.NAME, BARE_CONNECT);
        pipeline.addFirst("switchboard-write-timeout", new WriteTimeoutHandler(timeoutMs, TimeUnit.MILLISECONDS) {
            @Override
            protected void writeTimedOut(ChannelHandlerContext ctx) throws Exception {
                closed.increment();
                LOG.warning("Socket.io client " + ctx.channel().remoteAddress() + " took no data for " + timeoutMs
                    + " ms: connection closed (it can reconnect and resume)");
                super.writeTimedOut(ctx);
            }
        });
    }

    /** Connections closed because a write did not complete in time. */
    long closedCount() {
        return closed.sum();
    }
}
