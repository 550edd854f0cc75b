package dev.agentbatch.model;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * Plain sockets with {@code TCP_NODELAY} for the model's HTTP client. OkHttp leaves Nagle's algorithm on, so the last
 * partial segment of a request body larger than one 8 KB buffer waits for the server's delayed ACK: about 40 ms per
 * model call once the conversation passes 8 KB (on loopback and on any plain-HTTP model server). A chat request is
 * written whole and answered whole: nothing is gained by coalescing it.
 */
public final class NoDelaySockets extends SocketFactory {

    private final SocketFactory sockets = SocketFactory.getDefault();

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(sockets.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(sockets.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(sockets.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(sockets.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return noDelay(sockets.createSocket(address, port, localAddress, localPort));
    }

    private static Socket noDelay(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** The base OkHttp client of every openai-java client of this product (and of the benchmark's plain loop). */
    public static okhttp3.OkHttpClient okHttp() {
        // OkHttp's own defaults cut a read or a write at 10 s, and openai-java's per-request timeout does not replace
        // them on a client it is given: a model that thinks for more than 10 s failed every time. The call timeout
        // (openai-java sets it from each request's timeout: the iteration's deadline) is the only limit.
        return new okhttp3.OkHttpClient.Builder().socketFactory(new NoDelaySockets())
                .connectTimeout(java.time.Duration.ofMinutes(1)).readTimeout(java.time.Duration.ZERO)
                .writeTimeout(java.time.Duration.ZERO).build();
    }
}
