package dfs.master.metadata;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Run in a child JVM by {@link JournalWriteFailureTest}, under a limit on how large its files may
 * grow: puts files {@code f/0} to {@code f/<n-1>} at once, then one more, and prints what happened.
 */
final class PutManyMain {
    private PutManyMain() {}

    public static void main(String[] args) throws Exception {
        List<FileRecord> records = IntStream.range(0, Integer.parseInt(args[1]))
                .mapToObj(i -> Records.file("f/" + i, 1)).toList();
        try (MetadataStore store = MetadataStore.open(Path.of(args[0]))) {
            try {
                store.putAll(records);
                System.out.println("stored all");
            } catch (StoppedChangesException e) {
                System.out.println("stopped durable=" + e.durable() + " total=" + e.total() + " unknown=" + e.unknown()
                        + " size=" + store.size() + ": " + e.getMessage());
            }
            try {
                store.put(Records.file("late", 1));
                System.out.println("late stored");
            } catch (IOException e) {
                System.out.println("late refused: " + e.getMessage());
            }
        }
    }
}
