package io.timeoutpolicy.dashboard;

import io.quarkus.test.common.http.TestHTTPResource;
import io.timeoutpolicy.TestApi;
import java.net.URL;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** What every browser test class shares: one browser for the class, and the page opened on staging. */
abstract class BrowserTestBase {

    static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() {
        TestApi.configure();
        browser = Browser.start();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /** Staging at 1280×800, refreshing every second, once each of {@code fields} (element ids) has a value. */
    void openStaging(Duration limit, String... fields) {
        browser.viewport(1280, 800, false);
        browser.driver.get(root + "?environment=staging&refresh=1");
        browser.await(limit, d -> Stream.of(fields).noneMatch(field -> browser.value(field).isEmpty()));
    }

    /** A double as JavaScript prints it (String(90) is "90", not "90.0"): how the page's data-value holds it. */
    static String js(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
