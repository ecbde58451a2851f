package dfs.chunkserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.wire.ChunkId;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt chunks are moved aside so they read as missing; good ones never are. */
class QuarantineTest {
    @TempDir
    Path root;

    @Test
    void aCorruptChunkIsMovedToQuarantineAndReadsAsMissing() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = Damage.store(store, 5000, 1);
        byte[] rotted = rot(id);

        assertThat(store.quarantine(id)).isTrue();

        assertThat(store.open(id)).isEmpty();
        assertThat(store.list()).isEmpty();
        assertThat(store.usedBytes()).isZero();
        assertThat(Damage.quarantined(root)).containsExactly(id.hex() + ".1");
        assertThat(Files.readAllBytes(root.resolve("quarantine").resolve(id.hex() + ".1"))).isEqualTo(rotted);
        assertThat(store.scrubSummary().corruptFound()).isEqualTo(1);
    }

    @Test
    void aGoodChunkIsNeverQuarantined() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = Damage.store(store, 5000, 2);

        assertThat(store.quarantine(id)).isFalse();

        assertThat(store.verify(id).status()).isEqualTo(VerifyResult.Status.OK);
        assertThat(Damage.quarantined(root)).isEmpty();
        assertThat(store.scrubSummary().corruptFound()).isZero();
    }

    @Test
    void aChunkThatRotsAgainAfterBeingRestoredGetsAFreshQuarantineName() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] data = ChunkStoreTest.bytes(3000, 3);
        ChunkId id = ChunkId.random();
        for (int round = 0; round < 2; round++) {
            store.put(id, Damage.sha256(data), data.length, new ByteArrayInputStream(data));
            rot(id);
            store.quarantine(id);
        }

        assertThat(Damage.quarantined(root)).containsExactly(id.hex() + ".1", id.hex() + ".2");
    }

    @Test
    void aChunkWithADamagedHeaderIsRefusedAndQuarantinedWhenOpened() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = Damage.store(store, 5000, 4);
        Damage.flipBit(Damage.file(root, id), 1);

        assertThatThrownBy(() -> store.open(id)).isInstanceOf(CorruptChunkException.class)
                .hasMessageContaining(id.hex()).hasMessageContaining("magic");

        assertThat(store.open(id)).isEmpty();
        assertThat(Damage.quarantined(root)).containsExactly(id.hex() + ".1");
    }

    @Test
    void aRottedPayloadIsServedAsItLiesWithItsRecordedHashForTheReceiverToReject() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = Damage.store(store, 200_000, 5);
        rot(id);

        try (OpenChunk chunk = store.open(id).orElseThrow()) {
            byte[] served = chunk.payloadStream().readAllBytes();
            assertThat(served).hasSize(200_000);
            assertThat(Damage.sha256(served)).isNotEqualTo(chunk.sha256());
        }

        assertThat(store.verify(id).status()).isEqualTo(VerifyResult.Status.CORRUPT);
    }

    @Test
    void aGoodChunkReadToItsEndStaysStored() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = Damage.store(store, 200_000, 6);

        try (OpenChunk chunk = store.open(id).orElseThrow()) {
            chunk.payloadStream().readAllBytes();
        }

        assertThat(store.verify(id).status()).isEqualTo(VerifyResult.Status.OK);
        assertThat(Damage.quarantined(root)).isEmpty();
    }

    @Test
    void quarantinedChunksAreNotCountedAfterARestart() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId kept = Damage.store(store, 1000, 7);
        ChunkId rotten = Damage.store(store, 1000, 8);
        rot(rotten);
        store.quarantine(rotten);

        ChunkStore reopened = ChunkStore.openAt(root);

        assertThat(reopened.list()).extracting(e -> e.id()).containsExactly(kept);
    }

    private byte[] rot(ChunkId id) throws Exception {
        Path file = Damage.file(root, id);
        Damage.flipBit(file, Files.size(file) - 10);
        return Files.readAllBytes(file);
    }
}
