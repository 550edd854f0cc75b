package dev.agentbatch.it.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.agentbatch.it.TestUsers;

/**
 * A headless Chromium driven by Selenium: Debian's {@code chromium} and {@code chromium-driver} (.ci/run installs them),
 * named by path so that Selenium Manager is never asked for a driver or a browser (it would try to download them).
 * Signs in through the console's login page, as a person would.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("it.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("it.chromedriver", "/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(60);

    final WebDriver driver;
    final String base;

    private Browser(WebDriver driver) {
        this.driver = driver;
        this.base = "http://127.0.0.1:" + Integer.getInteger("it.http.port", 8280) + "/agent-batch";
    }

    /** A new browser signed in as {@code user} (its own profile: no cookie is shared with another test). */
    static Browser signedInAs(String user) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        Browser browser = new Browser(new ChromeDriver(service, options));
        browser.signIn(user);
        return browser;
    }

    private void signIn(String user) {
        driver.get(base + "/console/");
        driver.findElement(By.id("j_username")).sendKeys(user);
        driver.findElement(By.id("j_password")).sendKeys(TestUsers.password(user));
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        until(d -> d.findElement(By.id("who")).getText().startsWith(user + " "));
    }

    void open(String consolePath) {
        driver.get(base + "/console/" + consolePath);
        until(d -> !d.findElement(By.id("who")).getText().isEmpty());
    }

    <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class).until(condition::apply);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    boolean shown(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty() && find(css).isDisplayed();
    }

    /** Marks the page; {@link #notReloaded()} is true as long as the same page lives (no reload happened). */
    void markPage() {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("window.__consoleMark = 'same page';");
    }

    boolean notReloaded() {
        return "same page".equals(((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return window.__consoleMark;"));
    }

    Object script(String asyncScript, Object... args) {
        return ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript(asyncScript, args);
    }

    /** Saves the page as target/NAME.png. */
    void screenshot(String name) {
        File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        try {
            Path target = Path.of(System.getProperty("project.basedir", "."), "target", name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
