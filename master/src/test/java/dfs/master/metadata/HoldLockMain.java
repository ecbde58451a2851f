package dfs.master.metadata;

import java.nio.file.Path;

/** Run in a child JVM by {@link MetadataLockTest}: holds a store open until stdin closes. */
final class HoldLockMain {
    private HoldLockMain() {}

    public static void main(String[] args) throws Exception {
        try (MetadataStore store = MetadataStore.open(Path.of(args[0]))) {
            System.out.println("open " + store.size());
            System.out.flush();
            while (System.in.read() != -1) {
                // wait for the parent to close our stdin
            }
        }
    }
}
