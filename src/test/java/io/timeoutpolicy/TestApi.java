package io.timeoutpolicy;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;

/** REST Assured as every integration test uses it: JSON numbers as doubles (exact), and logs on failure. */
public final class TestApi {

    private TestApi() {
    }

    public static void configure() {
        RestAssured.config = RestAssured.config()
                .jsonConfig(JsonConfig.jsonConfig().numberReturnType(NumberReturnType.DOUBLE));
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
