package io.timeoutpolicy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.timeoutpolicy.TestApi;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * With timeout-policy.security.readers-require-key the page itself is still served, asks for a key when the
 * API answers 401, and with one (kept in sessionStorage, sent as X-API-Key, the alert stream included) fills.
 */
@QuarkusTest
@TestProfile(DashboardKeyBrowserTests.ReadersNeedAKey.class)
class DashboardKeyBrowserTests extends BrowserTestBase {

    public static class ReadersNeedAKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("timeout-policy.security.readers-require-key", "true");
        }
    }


    @Test
    void asks_for_a_key_keeps_it_for_the_tab_and_reads_with_it() throws Exception {
        browser.driver.get(root + "?environment=production&refresh=1");
        browser.await(Duration.ofSeconds(5), d -> d.findElement(By.id("key-form")).isDisplayed());
        assertThat(browser.text("banner")).contains("needs an API key");
        browser.screenshot("dashboard-key-asked");

        browser.driver.findElement(By.id("api-key")).sendKeys(TestApi.REPORTER_KEY);
        browser.driver.findElement(By.cssSelector("#key-form button")).click();
        browser.await(Duration.ofSeconds(10), d -> !browser.value("connection-timeout").isEmpty()
                && browser.text("stream-state").equals("live"));
        assertThat(browser.script("return sessionStorage.getItem('timeout-policy.api-key')")).isEqualTo(TestApi.REPORTER_KEY);
        assertThat(browser.script("return localStorage.length")).isEqualTo(0L);
        assertThat(browser.driver.getCurrentUrl()).contains("environment=production").doesNotContain(TestApi.REPORTER_KEY);
        browser.await(Duration.ofSeconds(5), d -> !d.findElement(By.id("banner")).isDisplayed());
        browser.screenshot("dashboard-key-used");
    }
}
