package dev.agentbatch.it.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.agentbatch.it.FakeOpenAiServer.Reply;
import dev.agentbatch.it.IntegrationTestBase;
import dev.agentbatch.it.TestUsers;

/**
 * The operator console in a real headless Chromium against the real server: an operator finds a FAILED task through
 * the list's filter, reads why, restarts it with a higher iteration limit and watches it run and complete without a
 * reload; stops a RUNNING task and cancels a PENDING one from their pages; restarts three FAILED tasks at once; a
 * viewer sees no action and a call forged from the viewer's session is refused with 403; a filtered address shows the
 * same view when opened again. Every wait is a condition; the model holds its answers until the test lets them go.
 */
class ConsoleIT extends IntegrationTestBase {

    @Test
    void anOperatorFindsAFailedTaskReadsWhyAndRestartsItLive() {
        // given: a task that failed at its iteration limit (1); its second answer is held until the test saw RUNNING
        String word = word("restart");
        CountDownLatch answer = new CountDownLatch(1);
        String scenario = scenario("console");
        MODEL.script(scenario, List.of(List.of(Reply.tools("check_disk", "{}")), List.of(Reply.answer("all clean").heldBy(answer))));
        long id = API.submit(Map.of("input", "Check the disk " + word + " [scenario:" + scenario + "]", "maxIterations", 1));
        assertEquals("FAILED", API.awaitTermination(id, Duration.ofSeconds(60)).path("state").asText());

        try (Browser browser = Browser.signedInAs(TestUsers.OPERATOR)) {
            // when: the operator filters the list by FAILED and the word, and opens the task
            TasksPage list = new TasksPage(browser).open("").filter("FAILED", word);
            assertTrue(browser.driver.getCurrentUrl().contains("state=FAILED"), browser.driver.getCurrentUrl());
            list.awaitIds(List.of(id));
            TaskPage task = list.openTask(id);

            // then: the page says why, and shows the transcript
            assertEquals("FAILED", task.state());
            assertEquals("ITERATION_LIMIT", task.fact("exitStatus"));
            assertTrue(task.iteration(1).contains("check_disk"), task.iteration(1));

            // when: restart with a higher limit
            browser.markPage();
            task.restartWithMaxIterations(3);

            // then: it runs (the model holds its answer meanwhile), then completes, on the same page
            task.awaitState("RUNNING");
            answer.countDown();
            task.awaitState("COMPLETED");
            assertTrue(task.iteration(2).contains("all clean"), task.iteration(2));
            assertEquals("3", API.task(id).path("maxIterations").asText());
            assertTrue(browser.notReloaded(), "the page followed the task without a reload");
            browser.until(d -> task.fact("exitStatus").equals("COMPLETED"));
            browser.screenshot("console-task");
        } finally {
            answer.countDown();
        }
    }

    @Test
    void aRunningTaskIsStoppedAndAPendingOneCancelledFromTheirPages() {
        // given: every slot of the node is taken by a task whose model holds its answer, and one more task waits
        CountDownLatch release = new CountDownLatch(1);
        int cap = selfNode().path("cap").asInt();
        List<Long> busy = new ArrayList<>();
        try {
            for (int i = 0; i < cap; i++) {
                String scenario = scenario("busy");
                MODEL.script(scenario, List.of(List.of(Reply.tools("check_disk", "{}").heldBy(release)), List.of(Reply.answer("done"))));
                busy.add(API.submit(Map.of("input", "busy " + i + " [scenario:" + scenario + "]")));
            }
            for (long id : busy) {
                API.awaitState(id, "RUNNING", Duration.ofSeconds(60));
            }
            String waitingScenario = scenario("waiting");
            MODEL.scriptSimple(waitingScenario, Reply.answer("never"));
            long waiting = API.submit(Map.of("input", "waiting [scenario:" + waitingScenario + "]", "priority", 0));
            assertEquals("PENDING", API.task(waiting).path("state").asText());
            long running = busy.get(0);

            try (Browser browser = Browser.signedInAs(TestUsers.OPERATOR)) {
                // when: the operator cancels the waiting task
                TaskPage pending = new TaskPage(browser).open(waiting);
                assertEquals("PENDING", pending.state());
                pending.cancel();

                // then
                pending.awaitState("STOPPED");
                browser.until(d -> pending.fact("exitStatus").equals("CANCELLED"));

                // when: the operator stops a running one; its model call ends, and it stops at the iteration boundary
                TaskPage page = new TaskPage(browser).open(running);
                assertEquals("RUNNING", page.state());
                page.stop();
                browser.until(d -> page.actionResult().startsWith("Stop: accepted"));
                release.countDown();

                // then: the page turns STOPPED by itself
                page.awaitState("STOPPED");
                browser.until(d -> page.fact("exitStatus").equals("STOPPED"));
            }
            assertEquals("CANCELLED", API.task(waiting).path("exitStatus").asText());
            assertEquals("STOPPED", API.task(running).path("state").asText());
        } finally {
            release.countDown();
            busy.forEach(id -> API.awaitTermination(id, Duration.ofSeconds(120)));
        }
    }

    @Test
    void threeFailedTasksAreRestartedAtOnce() {
        // given: three FAILED tasks that share a word
        String word = word("bulk");
        List<Long> failed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            failed.add(failedTask(word + " " + i));
        }

        try (Browser browser = Browser.signedInAs(TestUsers.OPERATOR)) {
            TasksPage list = new TasksPage(browser).open("state=FAILED&q=" + word);
            list.awaitIds(failed.stream().sorted(Comparator.reverseOrder()).toList());

            // when: restart all FAILED tasks that match with a higher limit, after the confirmation that says how many
            String question = list.restartAllFailed(5);

            // then
            assertTrue(question.contains("3 FAILED tasks") && question.contains("max iterations 5"), question);
            assertTrue(list.bulkResult().contains("3 of 3"), list.bulkResult());
            for (long id : failed) {
                assertEquals("COMPLETED", API.awaitTermination(id, Duration.ofSeconds(60)).path("state").asText());
            }
            list.awaitIds(List.of()); // they left the FAILED view, live
        }
    }

    @Test
    void aViewerSeesNoActionAndAForgedCallIsRefused() {
        // given: a FAILED task
        long id = failedTask(word("viewer"));

        try (Browser browser = Browser.signedInAs(TestUsers.VIEWER)) {
            // when / then: no action on the task's page, no bulk action on the list
            TaskPage task = new TaskPage(browser).open(id);
            assertEquals("FAILED", task.state());
            assertFalse(task.anyActionShown(), "a viewer sees no action button");
            TasksPage list = new TasksPage(browser).open("state=FAILED");
            assertFalse(list.bulkActionsShown(), "a viewer sees no bulk action");

            // when: the viewer's session forges the restart call, CSRF token and all
            Object status = browser.script("const done = arguments[arguments.length - 1];"
                    + "fetch('/agent-batch/api/me').then(r => r.json()).then(me => fetch('/agent-batch/api/tasks/' + arguments[0]"
                    + " + '/restart', {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken},"
                    + " body: '{}'})).then(r => done(r.status), e => done(String(e)));", id);

            // then
            assertEquals(403L, status);
            assertEquals("FAILED", API.task(id).path("state").asText());
        }
    }

    @Test
    void aFilteredAddressShowsTheSameViewWhenOpenedAgain() {
        // given: tasks of two priorities that share a word
        String word = word("url");
        long low = failedTask(word + " low");
        long high = completedTask(word + " high", 7);
        String query = "q=" + word + "&sort=priority";

        try (Browser browser = Browser.signedInAs(TestUsers.ADMIN)) {
            // when: the address is opened in a fresh page
            TasksPage list = new TasksPage(browser).open(query);

            // then: the form shows the filter, and the table the API's answer for the same query, in its order
            assertEquals(word, list.textFilter());
            List<Long> expected = new ArrayList<>();
            API.get("/tasks?" + query).body().path("tasks").forEach(t -> expected.add(t.path("id").asLong()));
            assertEquals(List.of(low, high), expected);
            list.awaitIds(expected);
            assertTrue(browser.find("th[aria-sort]").getText().startsWith("Priority"));

            // and: a state picked in the form is in the address, and the address alone gives it back
            list.filter("FAILED", word);
            String address = browser.driver.getCurrentUrl();
            list.awaitIds(List.of(low));
            TasksPage again = new TasksPage(browser).open(address.substring(address.indexOf('?') + 1));
            assertEquals("FAILED", again.stateFilter());
            again.awaitIds(List.of(low));

            // the overview, for the README
            new TasksPage(browser).open("");
            browser.until(d -> again.count("COMPLETED") > 0);
            browser.screenshot("console-tasks");
        }
    }

    @Test
    void theNodesAndApprovalsPagesShowWhatTheApiSays() {
        try (Browser browser = Browser.signedInAs(TestUsers.VIEWER)) {
            // when / then: this node, alive, with its cap
            browser.open("nodes");
            String cap = selfNode().path("cap").asText();
            browser.until(d -> browser.find("#nodes tbody").getText().contains("(this node)"));
            String row = browser.driver.findElements(org.openqa.selenium.By.cssSelector("#nodes tbody tr")).stream()
                    .map(org.openqa.selenium.WebElement::getText).filter(t -> t.contains("(this node)")).findFirst().orElseThrow();
            assertTrue(row.contains("alive") && row.contains(" " + cap + " "), row);

            // and the approvals page answers, with no decision button for a viewer
            browser.open("approvals");
            browser.until(d -> browser.find("#approvals-summary").getText().endsWith("waiting"));
            assertTrue(browser.driver.findElements(org.openqa.selenium.By.cssSelector("#approvals button")).isEmpty());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLivePageReloadsAtThePaceOfItsOwnReadsAndNeverTwiceAtOnce() {
        try (Browser browser = Browser.signedInAs(TestUsers.VIEWER)) {
            browser.open("");
            // when: events ask a page for a reload every 10 ms for 3 s, and each reload takes 200 ms (the console's own
            // throttle, as the pages use it, with a 50 ms wait)
            Map<String, Object> seen = (Map<String, Object>) ((org.openqa.selenium.JavascriptExecutor) browser.driver)
                    .executeAsyncScript("""
                            const done = arguments[arguments.length - 1];
                            import(arguments[0]).then(async ({ throttle }) => {
                              let running = 0, overlaps = 0, lastCall = 0;
                              const starts = [];
                              const reload = () => new Promise((resolve) => {
                                running++; if (running > 1) overlaps++; starts.push(performance.now());
                                setTimeout(() => { running--; resolve(); }, 200);
                              });
                              const refresh = throttle(reload, 50);
                              const end = performance.now() + 3000;
                              while (performance.now() < end) {
                                refresh(); lastCall = performance.now();
                                await new Promise((r) => setTimeout(r, 10));
                              }
                              await new Promise((r) => setTimeout(r, 3000));
                              done({ runs: starts.length, overlaps, lastCall, lastStart: starts[starts.length - 1],
                                     gaps: starts.slice(1).map((t, i) => t - starts[i]) });
                            }).catch((e) => done({ error: String(e) }));
                            """, browser.base + "/console/js/dom.js");

            // then: one reload at a time, each 4 × its 200 ms after the last one ended, and the last call still served
            assertFalse(seen.containsKey("error"), String.valueOf(seen));
            assertEquals(0L, ((Number) seen.get("overlaps")).longValue(), String.valueOf(seen));
            long runs = ((Number) seen.get("runs")).longValue();
            assertTrue(runs >= 2 && runs <= 5, "about one reload a second for 3 s, not one per event: " + seen);
            for (Object gap : (List<Object>) seen.get("gaps")) {
                assertTrue(((Number) gap).doubleValue() >= 990, "200 ms of reload, then 800 ms of wait: " + seen);
            }
            assertTrue(((Number) seen.get("lastStart")).doubleValue() > ((Number) seen.get("lastCall")).doubleValue(),
                    "a reload after the last event: " + seen);
        }
    }

    // --- helpers ---

    private static String word(String name) {
        return name + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A task that failed at its iteration limit (1); restarted with a higher one, it completes. */
    private static long failedTask(String input) {
        String scenario = scenario("console");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.answer("done"));
        long id = API.submit(Map.of("input", input + " [scenario:" + scenario + "]", "maxIterations", 1));
        assertEquals("FAILED", API.awaitTermination(id, Duration.ofSeconds(60)).path("state").asText());
        return id;
    }

    private static long completedTask(String input, int priority) {
        String scenario = scenario("console");
        MODEL.scriptSimple(scenario, Reply.answer("done"));
        long id = API.submit(Map.of("input", input + " [scenario:" + scenario + "]", "priority", priority));
        assertEquals("COMPLETED", API.awaitTermination(id, Duration.ofSeconds(60)).path("state").asText());
        return id;
    }

    private static JsonNode selfNode() {
        for (JsonNode node : API.get("/nodes").body().path("nodes")) {
            if (node.path("self").asBoolean()) {
                return node;
            }
        }
        throw new AssertionError("no node answers as itself: " + API.get("/nodes").body());
    }
}
