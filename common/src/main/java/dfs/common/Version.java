package dfs.common;

/** The software version, as built. */
public final class Version {
    private Version() {}

    public static final String CURRENT = "0.1.0";
}
