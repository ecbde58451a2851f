package dfs.common.crypto;

import java.util.Objects;
import java.util.Optional;

/**
 * The master keys in use: the current one and, while a key rotation ({@code rekey}) is under way,
 * the next one. New data keys are wrapped under the next key when there is one (it is the key
 * that survives the rotation), and unwrapping tries both: AES-GCM authentication tells which key
 * fits, so a rotation interrupted at any point leaves every file readable. Immutable and
 * thread-safe.
 */
public final class MasterKeySet {
    private final MasterKey current;
    private final Optional<MasterKey> next;

    private MasterKeySet(MasterKey current, Optional<MasterKey> next) {
        this.current = Objects.requireNonNull(current, "current");
        this.next = Objects.requireNonNull(next, "next");
    }

    /** Just one key: no rotation under way. */
    public static MasterKeySet of(MasterKey current) {
        return new MasterKeySet(current, Optional.empty());
    }

    /** A rotation from {@code current} to {@code next} under way. */
    public static MasterKeySet rotating(MasterKey current, MasterKey next) {
        return new MasterKeySet(current, Optional.of(next));
    }

    /** The key new data keys are wrapped under: the next one during a rotation. */
    public MasterKey wrapping() {
        return next.orElse(current);
    }

    public MasterKey current() {
        return current;
    }

    public Optional<MasterKey> next() {
        return next;
    }

    public boolean isRotating() {
        return next.isPresent();
    }

    /** A data key and whether it was found wrapped under {@link #wrapping()}. */
    public record Unwrapped(SecretKey256 key, boolean underWrappingKey) {}

    /**
     * Unwraps a data key under whichever key of the set fits, trying the wrapping key first.
     *
     * @throws IntegrityException when no key of the set opens it: the entry was altered, or it
     *     belongs to another master key
     */
    public Unwrapped unwrap(String wrapped, byte[] aad, String what) throws IntegrityException {
        try {
            return new Unwrapped(wrapping().unwrap(wrapped, aad, what), true);
        } catch (IntegrityException e) {
            if (next.isEmpty()) {
                throw e;
            }
            return new Unwrapped(current.unwrap(wrapped, aad, what), false);
        }
    }

    @Override
    public String toString() {
        return "MasterKeySet[" + (isRotating() ? "rotating, " : "") + "redacted]";
    }
}
