package dfs.chunkserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AnswerJsonTest {
    record Answer(String node, Instant at, String absent) {}

    private static final Answer ANSWER = new Answer("ab12", Instant.parse("2026-12-02T08:30:00Z"), null);

    @Test
    void answersAreWrittenAsTheProjectsJson() throws Exception {
        assertThat(new AnswerJson().toJsonString(ANSWER, Answer.class))
                .isEqualTo("{\"node\":\"ab12\",\"at\":\"2026-12-02T08:30:00Z\"}")
                .isEqualTo(Json.mapper().writeValueAsString(ANSWER));
    }

    @Test
    void aFreshMapperAnswersSeveralThreadsAtOnce() throws Exception {
        String expected = Json.mapper().writeValueAsString(ANSWER);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 200; round++) {
                AnswerJson json = new AnswerJson();
                CyclicBarrier together = new CyclicBarrier(4);
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Callable<String> first = () -> {
                        together.await();
                        return json.toJsonString(ANSWER, Answer.class);
                    };
                    answers.add(threads.submit(first));
                }
                for (Future<String> answer : answers) {
                    assertThat(answer.get()).isEqualTo(expected);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
