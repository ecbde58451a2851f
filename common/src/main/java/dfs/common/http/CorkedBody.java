package dfs.common.http;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/** A request body sent in large socket writes rather than a TLS record at a time ({@link OutputCork}). */
public final class CorkedBody extends HttpEntityWrapper {
    public CorkedBody(HttpEntity body) {
        super(body);
    }

    /** The bytes of {@code chunk} as an octet stream. */
    public static CorkedBody of(byte[] chunk) {
        return new CorkedBody(new ByteArrayEntity(chunk, ContentType.APPLICATION_OCTET_STREAM));
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        OutputCork.around(() -> super.writeTo(out));
    }
}
