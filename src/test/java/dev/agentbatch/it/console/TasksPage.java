package dev.agentbatch.it.console;

import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The console's Tasks page: its selectors, and what an operator does there. */
final class TasksPage {

    private final Browser browser;

    TasksPage(Browser browser) {
        this.browser = browser;
    }

    /** Opens the list with this query string (empty: no filter) and waits for the table to be drawn. */
    TasksPage open(String query) {
        browser.open(query.isEmpty() ? "" : "?" + query);
        browser.until(d -> browser.find("#summary").getText().contains("match"));
        return this;
    }

    /** Fills the filter form and applies it. */
    TasksPage filter(String state, String text) {
        new Select(browser.find("#filters select[name=state]")).selectByValue(state);
        WebElement q = browser.find("#filters input[name=q]");
        q.clear();
        q.sendKeys(text);
        browser.find("#filters button[type=submit]").click();
        browser.until(d -> d.getCurrentUrl().contains("q=" + text) && d.getCurrentUrl().contains("state=" + state));
        browser.until(d -> browser.find("#summary").getText().contains("match"));
        return this;
    }

    String stateFilter() {
        return new Select(browser.find("#filters select[name=state]")).getFirstSelectedOption().getAttribute("value");
    }

    String textFilter() {
        return browser.find("#filters input[name=q]").getAttribute("value");
    }

    /** The ids in the table, top to bottom. */
    List<Long> ids() {
        return browser.driver.findElements(By.cssSelector("#tasks tbody tr[data-task]")).stream()
                .map(r -> Long.valueOf(r.getAttribute("data-task"))).toList();
    }

    TasksPage awaitIds(List<Long> expected) {
        browser.until(d -> ids().equals(expected));
        return this;
    }

    String stateOf(long id) {
        return browser.find("#tasks tr[data-task='" + id + "'] .state").getText();
    }

    TaskPage openTask(long id) {
        browser.find("#tasks tr[data-task='" + id + "'] a").click();
        return new TaskPage(browser).awaitLoaded(id);
    }

    boolean bulkActionsShown() {
        return browser.shown("#bulk") || !browser.driver.findElements(By.cssSelector("#tasks tbody input[type=checkbox]")).isEmpty();
    }

    /**
     * "Restart all FAILED tasks matching this filter", with a new iteration limit: returns the confirmation's question,
     * then confirms.
     */
    String restartAllFailed(int maxIterations) {
        WebElement max = browser.find("#bulk-max-iterations");
        max.clear();
        max.sendKeys(Integer.toString(maxIterations));
        browser.find("#restart-all-failed").click();
        browser.until(d -> browser.find("#confirm").isDisplayed());
        String question = browser.find("#confirm-text").getText();
        browser.find("#confirm-ok").click();
        browser.until(d -> !browser.find("#bulk-result").getText().isEmpty());
        return question;
    }

    String bulkResult() {
        return browser.find("#bulk-result").getText();
    }

    long count(String state) {
        return Long.parseLong(browser.find("#counts a[data-count='" + state + "'] strong").getText().replace(",", ""));
    }
}
