package dfs.common.http;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/** A request body sent in large socket writes rather than a TLS record at a time ({@link OutputCork}). */
final class CorkedBody extends HttpEntityWrapper {
    CorkedBody(HttpEntity body) {
        super(body);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        OutputCork.around(() -> super.writeTo(out));
    }
}
