package dev.agentbatch.it.console;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The console's page of one task: its selectors, and what an operator does there. */
final class TaskPage {

    private final Browser browser;

    TaskPage(Browser browser) {
        this.browser = browser;
    }

    TaskPage open(long id) {
        browser.open("tasks/" + id);
        return awaitLoaded(id);
    }

    TaskPage awaitLoaded(long id) {
        browser.until(d -> d.getCurrentUrl().endsWith("/console/tasks/" + id));
        browser.until(d -> !browser.find("#task-state").getText().isEmpty());
        browser.until(d -> !d.findElements(By.cssSelector("#timeline > li")).isEmpty());
        return this;
    }

    String state() {
        return browser.find("#task-state").getText();
    }

    TaskPage awaitState(String state) {
        browser.until(d -> state.equals(state()));
        return this;
    }

    String fact(String key) {
        return browser.find("#facts dd[data-fact='" + key + "']").getText();
    }

    /** The text of iteration n of the timeline (the model's turn, its tool calls and its marks). */
    String iteration(int n) {
        WebElement item = browser.until(d -> d.findElement(By.cssSelector("#timeline li[data-iteration='" + n + "']")));
        return item.getText();
    }

    void restartWithMaxIterations(int max) {
        browser.find("#restart-box summary").click();
        WebElement field = browser.find("#restart-form input[name=maxIterations]");
        field.clear();
        field.sendKeys(Integer.toString(max));
        browser.find("#restart").click();
    }

    void stop() {
        browser.until(d -> browser.find("#stop").isDisplayed());
        browser.find("#stop").click();
    }

    void cancel() {
        browser.until(d -> browser.find("#cancel").isDisplayed());
        browser.find("#cancel").click();
    }

    boolean anyActionShown() {
        return browser.shown("#restart-box") || browser.shown("#stop") || browser.shown("#cancel");
    }

    String actionResult() {
        return browser.find("#action-result").getText();
    }
}
