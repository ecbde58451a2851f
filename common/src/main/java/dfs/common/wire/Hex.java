package dfs.common.wire;

/**
 * The one check behind every hex identifier (chunk, node and file ids, SHA-256 digests), done
 * without a regex: a master checks every id of every file in its metadata as it loads, and a
 * matcher per id cost a tenth of that load.
 */
public final class Hex {
    private Hex() {}

    /** Whether {@code text} is exactly {@code digits} lowercase hex digits ({@code [0-9a-f]{digits}}). */
    public static boolean isLowerHex(String text, int digits) {
        if (text == null || text.length() != digits) {
            return false;
        }
        for (int i = 0; i < digits; i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }
}
