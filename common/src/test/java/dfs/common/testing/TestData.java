package dfs.common.testing;

/** Deterministic test content: the same bytes for the same arguments, on every run. */
public final class TestData {
    private TestData() {}

    /** {@code n} bytes of xorshift output; {@code salt} tells contents apart. */
    public static byte[] bytes(int n, int salt) {
        byte[] out = new byte[n];
        long x = 0x9E3779B97F4A7C15L * (salt + 1);
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            out[i] = (byte) x;
        }
        return out;
    }
}
