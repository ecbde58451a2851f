package dfs.chunkserver.http;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty's TLS connections, reading several 16 KiB TLS records per system call instead of one.
 *
 * <p>Jetty sizes its encrypted buffers by the TLS session's packet size and reads and decrypts
 * one record per round. A chunk is hundreds of records, and on a virtual machine each socket read
 * costs microseconds of kernel time. So the engines announce a {@value #BUFFER_BYTES}-byte packet
 * size (records on the wire stay at most 16 KiB, as TLS requires; only the buffers grow): one
 * read fetches up to four records, and each round decrypts as many whole records as the buffers
 * hold ({@link TlsRecordBatching}). Nothing else about TLS changes. Thread-safe as Jetty's own.
 */
final class BatchedTlsConnectionFactory extends SslConnectionFactory {
    /** Encrypted and decrypted buffer size; Jetty's buffer pool keeps buffers up to this size. */
    static final int BUFFER_BYTES = 64 * 1024;

    BatchedTlsConnectionFactory(SslContextFactory.Server tls, String nextProtocol) {
        super(tls, nextProtocol);
    }

    /** A server-side {@link SslContextFactory} whose engines announce {@link #BUFFER_BYTES}-byte packets. */
    static final class LargePacketsContextFactory extends SslContextFactory.Server {
        @Override
        public SSLParameters customize(SSLParameters parameters) {
            SSLParameters p = super.customize(parameters);
            p.setMaximumPacketSize(BUFFER_BYTES);
            return p;
        }
    }

    @Override
    protected SslConnection newSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
        return new BatchedSslConnection(connector, endPoint, engine, getSslContextFactory(),
                isDirectBuffersForEncryption(), isDirectBuffersForDecryption());
    }

    /** One TLS connection whose unwrap takes as many records as fit. */
    private static final class BatchedSslConnection extends SslConnection {
        BatchedSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine, SslContextFactory tls,
                boolean directForEncryption, boolean directForDecryption) {
            super(connector.getByteBufferPool(), connector.getExecutor(), tls, endPoint, engine,
                    directForEncryption, directForDecryption);
        }

        @Override
        protected SSLEngineResult unwrap(SSLEngine engine, ByteBuffer input, ByteBuffer output) throws SSLException {
            return TlsRecordBatching.unwrap(engine, input, output);
        }
    }
}
