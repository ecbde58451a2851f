package dfs.master.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BackgroundSync} on a real file, its forces counted (and made to fail) by a wrapping channel. */
class BackgroundSyncTest {
    private static final long EVERY = 1000;

    @TempDir
    Path dir;

    /** Background tasks, run when the test says. */
    private final Queue<Runnable> tasks = new ArrayDeque<>();

    @Test
    void aForceStartsInTheBackgroundOnceEnoughIsWrittenNotBefore() throws IOException {
        try (CountingChannel channel = open()) {
            BackgroundSync sync = new BackgroundSync(channel, EVERY, tasks::add);

            sync.written(EVERY - 1);
            assertThat(tasks).isEmpty();
            sync.written(1);
            assertThat(tasks).hasSize(1);

            tasks.poll().run();
            assertThat(channel.forces.get()).isEqualTo(1);
        }
    }

    @Test
    void noSecondForceStartsWhileOneRuns() throws IOException {
        try (CountingChannel channel = open()) {
            BackgroundSync sync = new BackgroundSync(channel, EVERY, tasks::add);

            sync.written(EVERY);
            sync.written(5 * EVERY);
            assertThat(tasks).hasSize(1);

            tasks.poll().run();
            sync.written(EVERY);
            assertThat(tasks).hasSize(1);
        }
    }

    @Test
    void finishWaitsForTheRunningForceThenForcesTheRest() throws Exception {
        try (CountingChannel channel = open()) {
            CountDownLatch release = new CountDownLatch(1);
            channel.beforeForce = () -> await(release);
            BackgroundSync sync = new BackgroundSync(channel, EVERY, task -> new Thread(task).start());
            sync.written(EVERY);

            Thread finisher = new Thread(() -> {
                try {
                    sync.finish();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            finisher.start();
            finisher.join(200);
            assertThat(finisher.isAlive()).as("finish returned while a background force still ran").isTrue();

            release.countDown();
            finisher.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(finisher.isAlive()).isFalse();
            assertThat(channel.forces.get()).isEqualTo(2);
        }
    }

    @Test
    void aFailedBackgroundForceFailsTheFinish() throws IOException {
        try (CountingChannel channel = open()) {
            channel.beforeForce = () -> {
                throw new IOException("No space left on device");
            };
            BackgroundSync sync = new BackgroundSync(channel, EVERY, tasks::add);
            sync.written(EVERY);
            tasks.poll().run();
            channel.beforeForce = () -> { };

            assertThatThrownBy(sync::finish).isInstanceOf(IOException.class).hasMessage("No space left on device");
        }
    }

    @Test
    void aFileShorterThanOneStepIsForcedOnceAtTheEnd() throws IOException {
        try (CountingChannel channel = open()) {
            BackgroundSync sync = new BackgroundSync(channel, EVERY, tasks::add);
            sync.written(10);

            sync.finish();

            assertThat(tasks).isEmpty();
            assertThat(channel.forces.get()).isEqualTo(1);
        }
    }

    private CountingChannel open() throws IOException {
        return new CountingChannel(FileChannel.open(dir.resolve("file"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.READ));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    /** A real file channel that counts its forces and can run a step (a delay, a failure) before each. */
    private static final class CountingChannel extends FileChannel {
        private final FileChannel real;
        final AtomicInteger forces = new AtomicInteger();
        volatile Step beforeForce = () -> { };

        CountingChannel(FileChannel real) {
            this.real = real;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            beforeForce.run();
            real.force(metaData);
            forces.incrementAndGet();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return real.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return real.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
