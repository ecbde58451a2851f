package dfs.master.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataOpeningTest {
    @Test
    void theTakenStoreIsTheOpenedStoreAndStaysOpenAfterTheOpeningCloses(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metadata_uploaded.json");
        try (MetadataStore before = MetadataStore.open(file)) {
            before.put(Records.file("a.txt", 10));
        }
        MetadataStore store;
        try (MetadataOpening opening = MetadataOpening.start(file)) {
            store = opening.take();
        }
        try (store) {
            assertThat(store.get("a.txt")).isPresent();
            store.put(Records.file("b.txt", 20)); // still open: the opening gave it away
            assertThatThrownBy(() -> MetadataStore.open(file)).isInstanceOf(MetadataInUseException.class);
        }
        try (MetadataStore after = MetadataStore.open(file)) {
            assertThat(after.list()).extracting(FileRecord::name).containsExactly("a.txt", "b.txt");
        }
    }

    @Test
    void aStoreNeverTakenIsClosedWithTheOpeningSoItsLockIsFree(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metadata_uploaded.json");
        try (MetadataOpening opening = MetadataOpening.start(file)) {
            // a start-up that fails here, before it takes the store
        }
        try (MetadataStore store = MetadataStore.open(file)) {
            assertThat(store.size()).isZero();
        }
    }

    @Test
    void aFailedOpenIsThrownByTakeAsTheOpenThrewIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metadata_uploaded.json");
        try (MetadataStore holder = MetadataStore.open(file);
                MetadataOpening opening = MetadataOpening.start(file)) {
            assertThatThrownBy(opening::take).isInstanceOf(MetadataInUseException.class)
                    .hasMessageContaining("is in use by another dfs master");
        }
    }

    @Test
    void theStoreCanBeTakenOnlyOnce(@TempDir Path dir) throws Exception {
        try (MetadataOpening opening = MetadataOpening.start(dir.resolve("m.json"));
                MetadataStore store = opening.take()) {
            assertThatThrownBy(opening::take).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already taken");
        }
    }
}
