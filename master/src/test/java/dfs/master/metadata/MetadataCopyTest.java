package dfs.master.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.crypto.ChunkSeal;
import dfs.common.crypto.IntegrityException;
import dfs.common.crypto.MasterKey;
import dfs.common.crypto.MasterKeySet;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The metadata copy chunk servers hold: it opens only with its master key, whole, and tells them nothing. */
class MetadataCopyTest {
    private static final Instant WRITTEN = Instant.parse("2026-12-01T14:03:12.345Z");
    private final MasterKey key = MasterKey.generate();

    private static List<FileRecord> files(int n) {
        List<FileRecord> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            files.add(Records.file("holiday/photo-" + i + ".jpg", 10 + i));
        }
        return files;
    }

    @Test
    void aSealedCopyOpensToTheSameRecordsAndTime() throws Exception {
        List<FileRecord> files = files(50);
        byte[] sealed = new MetadataCopy(WRITTEN, files).seal(key);

        MetadataCopy opened = MetadataCopy.open(MasterKeySet.of(key), sealed, "the copy");

        assertThat(opened.written()).isEqualTo(WRITTEN);
        assertThat(opened.files()).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void itsPlaintextIsTheLayoutFormatMdGives() throws Exception {
        List<FileRecord> files = files(7);
        byte[] sealed = new MetadataCopy(WRITTEN, files).seal(key);

        byte[] plain = ChunkSeal.open(key.derive("dfs metadata copy v1"),
                "dfs metadata copy v1".getBytes(StandardCharsets.US_ASCII), sealed, 0, sealed.length, "the copy");

        ByteBuffer header = ByteBuffer.wrap(plain, 0, 17);
        assertThat(new String(plain, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("DFSM");
        assertThat(header.get(4)).isEqualTo((byte) 1);
        assertThat(header.getLong(5)).isEqualTo(WRITTEN.toEpochMilli());
        assertThat(header.getInt(13)).isEqualTo(7);
        try (GZIPInputStream json = new GZIPInputStream(new ByteArrayInputStream(plain, 17, plain.length - 17))) {
            assertThat(json.readAllBytes()).isEqualTo(SnapshotFile.serialize(files));
        }
    }

    @Test
    void theSealedBytesHoldNoNameAndAreSmallerThanTheSnapshot() {
        List<FileRecord> files = files(200);
        byte[] sealed = new MetadataCopy(WRITTEN, files).seal(key);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("holiday").doesNotContain("photo");
        assertThat(sealed.length).isLessThan(SnapshotFile.serialize(files).length / 2);
    }

    @Test
    void anotherMasterKeyCannotOpenIt() {
        byte[] sealed = new MetadataCopy(WRITTEN, files(3)).seal(MasterKey.generate());

        assertThatThrownBy(() -> MetadataCopy.open(MasterKeySet.of(key), sealed, "the metadata copy on 10.0.0.7:7000"))
                .isInstanceOf(IntegrityException.class)
                .hasMessage("the metadata copy on 10.0.0.7:7000 does not open with this master key: another master"
                        + " key sealed it, or it was altered");
    }

    @Test
    void anyAlteredOrMissingByteIsRefused() {
        byte[] sealed = new MetadataCopy(WRITTEN, files(300)).seal(key);
        byte[] flipped = sealed.clone();
        flipped[sealed.length / 2] ^= 1;
        byte[] cut = java.util.Arrays.copyOf(sealed, sealed.length - 17);

        for (byte[] bad : List.of(flipped, cut)) {
            assertThatThrownBy(() -> MetadataCopy.open(MasterKeySet.of(key), bad, "the copy"))
                    .isInstanceOf(IntegrityException.class);
        }
    }

    @Test
    void aCopySealedUnderEitherKeyOfAnInterruptedRekeyOpens() throws Exception {
        MasterKey next = MasterKey.generate();
        byte[] underNext = new MetadataCopy(WRITTEN, files(2)).seal(next);
        byte[] underOld = new MetadataCopy(WRITTEN, files(2)).seal(key);
        MasterKeySet rotating = MasterKeySet.rotating(key, next);

        assertThat(MetadataCopy.open(rotating, underNext, "the copy").files()).hasSize(2);
        assertThat(MetadataCopy.open(rotating, underOld, "the copy").files()).hasSize(2);
    }

    @Test
    void anEmptyMetadataMakesACopyToo() throws Exception {
        byte[] sealed = new MetadataCopy(WRITTEN, List.of()).seal(key);

        assertThat(MetadataCopy.open(MasterKeySet.of(key), sealed, "the copy").files()).isEmpty();
    }
}
