package dfs.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DfsCommandTest {
    /** 'dfs --help' lists each command with the first line of its description: a whole sentence. */
    @Test
    void everyCommandIsListedWithACompleteSentence() {
        CommandLine top = DfsCommand.commandLine();
        assertThat(top.getSubcommands()).containsKeys("init", "local", "chunkserver", "master", "bench", "upload",
                "download", "list", "delete", "rename", "status", "fsck", "rekey", "recover");
        top.getSubcommands().forEach((name, sub) -> {
            String[] description = sub.getCommandSpec().usageMessage().description();
            assertThat(description).as(name).isNotEmpty();
            assertThat(description[0]).as("what 'dfs --help' shows for %s", name).endsWith(".");
        });
    }

    @Test
    void theListedSentenceIsNotCutInTheCommandsHelp() {
        // wrapped to the width of the help: compare with the line breaks and indents as spaces
        String help = DfsCommand.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
        assertThat(help).contains("Prepare a cluster: a fresh cluster secret and the master key.")
                .contains("The master console: upload, download, list, delete, status and more.");
    }
}
