package dfs.master.cluster;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request and response bodies for whole chunks without the JDK's extra copies: the request hands
 * the client read-only slices of the sealed array (the JDK's {@code ofByteArray} copies it into
 * 16 KiB buffers first), and the response fills one array sized by Content-Length (the JDK's
 * {@code ofByteArray} keeps a list of buffers and concatenates them at the end).
 */
final class ByteBodies {
    private static final int SLICE = 256 * 1024;

    private ByteBodies() {}

    /** A request body publishing {@code data} as read-only slices, honouring demand. */
    static HttpRequest.BodyPublisher of(byte[] data) {
        Flow.Publisher<ByteBuffer> slices = subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private final AtomicLong demand = new AtomicLong();
            private final AtomicBoolean draining = new AtomicBoolean();
            private volatile boolean cancelled;
            private int next;

            @Override
            public void request(long n) {
                if (n <= 0) {
                    cancelled = true;
                    subscriber.onError(new IllegalArgumentException("non-positive request " + n));
                    return;
                }
                demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                drain();
            }

            /** Emits while there is demand; one drainer at a time, re-checking after each pass. */
            private void drain() {
                while (!cancelled && demand.get() > 0 && draining.compareAndSet(false, true)) {
                    try {
                        while (!cancelled && demand.get() > 0 && next < data.length) {
                            int len = Math.min(SLICE, data.length - next);
                            ByteBuffer slice = ByteBuffer.wrap(data, next, len).slice().asReadOnlyBuffer();
                            next += len;
                            demand.decrementAndGet();
                            subscriber.onNext(slice);
                        }
                        if (!cancelled && next >= data.length) {
                            cancelled = true;
                            subscriber.onComplete();
                        }
                    } finally {
                        draining.set(false);
                    }
                }
            }

            @Override
            public void cancel() {
                cancelled = true;
            }
        });
        return HttpRequest.BodyPublishers.fromPublisher(slices, data.length);
    }

    /** A response body read into one array of the announced length (or grown if none was announced). */
    static HttpResponse.BodyHandler<byte[]> intoArray() {
        return info -> {
            long announced = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            return new Filling(announced);
        };
    }

    private static final class Filling implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private byte[] data;
        private int filled;

        Filling(long announced) {
            this.data = new byte[announced >= 0 && announced <= Integer.MAX_VALUE - 8 ? (int) announced : 64 * 1024];
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                int n = b.remaining();
                if (filled + n > data.length) {
                    data = java.util.Arrays.copyOf(data, Math.max(filled + n, data.length * 2));
                }
                b.get(data, filled, n);
                filled += n;
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(filled == data.length ? data : java.util.Arrays.copyOf(data, filled));
        }
    }
}
