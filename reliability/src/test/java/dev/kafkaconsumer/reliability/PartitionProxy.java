package dev.kafkaconsumer.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that the test controls, in front of one broker listener, to cut the network between
 * clients and a broker the way a partition does: {@link #blackhole()} keeps every connection open and stops moving
 * bytes in both directions (nothing is refused, nothing is closed, so a client learns of the cut only from its own
 * timeouts); {@link #heal()} moves them again.
 *
 * <p>What happens to the bytes in flight: TCP retransmits what the other side has not acknowledged, so after a
 * partition shorter than TCP gives up (minutes) the connection survives and everything sent during the cut arrives,
 * late. The proxy does the same: bytes read during the cut are held, not dropped, and delivered on the heal (dropping
 * part of a stream and forwarding the rest would corrupt Kafka's framing, which no real network does to a TCP
 * connection). A client that gave up on a request meanwhile ({@code request.timeout.ms}) closes the connection
 * itself, as it would on a real network. A connection opened during the cut is accepted (the kernel's backlog
 * would complete the handshake anyway) and carries nothing until the heal.
 *
 * <p>Threads: {@code partition-proxy-<port>-accept}, and two per connection,
 * {@code partition-proxy-<port>-<n>-up} (client to broker) and {@code -down} (broker to client), each blocking in a
 * read, then waiting while the proxy is cut before it writes. Only loopback addresses: the proxy binds
 * {@code 127.0.0.1} and forwards to {@code localhost}.
 */
final class PartitionProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong heldBytes = new AtomicLong();
    private final Object gate = new Object();
    private boolean cut;
    private volatile boolean closed;

    private PartitionProxy(ServerSocket server, int target) {
        this.server = server;
        this.target = target;
        Thread accept = new Thread(this::accept, "partition-proxy-" + server.getLocalPort() + "-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /**
     * Starts a proxy listening on {@code port} of the loopback address and forwarding to {@code localhost:target}.
     *
     * @param port   the port clients connect to (the one the broker advertises), 0 for any free one
     * @param target the broker listener's port
     * @return the running proxy
     */
    static PartitionProxy start(int port, int target) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return new PartitionProxy(server, target);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on port " + port, e);
        }
    }

    /** The port clients connect to. */
    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Bytes read during cuts and held until a heal, so far: the traffic the partition delayed. */
    long heldBytes() {
        return heldBytes.get();
    }

    /** Stops moving bytes in both directions; connections stay open. */
    void blackhole() {
        synchronized (gate) {
            cut = true;
        }
    }

    /** Moves bytes again, first those held during the cut. */
    void heal() {
        synchronized (gate) {
            cut = false;
            gate.notifyAll();
        }
    }

    /** Blackholes every proxy of the list. */
    static void blackhole(List<PartitionProxy> proxies) {
        proxies.forEach(PartitionProxy::blackhole);
    }

    /** Heals every proxy of the list. */
    static void heal(List<PartitionProxy> proxies) {
        proxies.forEach(PartitionProxy::heal);
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            int number = connections.incrementAndGet();
            sockets.add(client);
            Socket broker = new Socket();
            try {
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                broker.connect(new InetSocketAddress("localhost", target), 5_000);
                sockets.add(broker);
            } catch (IOException e) {
                // the broker is down: the client sees its connection closed, as it would see a refusal
                closeQuietly(client);
                closeQuietly(broker);
                continue;
            }
            String name = "partition-proxy-" + port() + "-" + number;
            pump(name + "-up", client, broker);
            pump(name + "-down", broker, client);
        }
    }

    private void pump(String name, Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    awaitOpen(); // during a cut nothing is read, so the sender's socket buffers fill as on a real network
                    int read = in.read(buffer);
                    if (read < 0) {
                        break;
                    }
                    if (awaitOpen()) {
                        heldBytes.addAndGet(read);
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (SocketException e) {
                // closed by the other pump or by close()
            } catch (IOException e) {
                // the peer went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits while the proxy is cut; returns whether it had to wait. */
    private boolean awaitOpen() throws InterruptedException {
        synchronized (gate) {
            boolean waited = false;
            while (cut && !closed) {
                waited = true;
                gate.wait();
            }
            return waited;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops listening and closes every connection; the pump threads end. */
    @Override
    public void close() {
        closed = true;
        heal();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        sockets.forEach(PartitionProxy::closeQuietly);
    }
}
