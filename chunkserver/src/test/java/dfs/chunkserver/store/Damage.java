package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Stores chunks and damages their files the ways disks do, for the integrity tests. */
final class Damage {
    private Damage() {}

    static ChunkId store(ChunkStore store, int size, int salt) throws IOException {
        ChunkId id = ChunkId.random();
        byte[] data = ChunkStoreTest.bytes(size, salt);
        store.put(id, sha256(data), data.length, new ByteArrayInputStream(data));
        return id;
    }

    static Path file(Path root, ChunkId id) {
        return root.resolve("chunks").resolve(id.hex().substring(0, 2)).resolve(id.hex());
    }

    /** Bit rot: one bit of the byte at {@code position} flipped in place. */
    static void flipBit(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
            ch.write(one, position);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    /** The file names in {@code quarantine/}, sorted; empty when the folder is absent. */
    static List<String> quarantined(Path root) throws IOException {
        Path dir = root.resolve("quarantine");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
