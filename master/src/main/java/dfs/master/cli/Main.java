package dfs.master.cli;

/** Entry point of the {@code dfs} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("dfs");
    }
}
