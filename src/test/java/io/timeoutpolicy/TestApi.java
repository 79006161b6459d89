package io.timeoutpolicy;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;
import io.restassured.specification.RequestSpecification;

/** REST Assured as every integration test uses it: JSON numbers as doubles (exact), and logs on failure. */
public final class TestApi {

    /** The test profile's keys (application.properties, %test): one per role, and one with every role. */
    public static final String REPORTER_KEY = "test-reporter-key";
    public static final String DEPLOYER_KEY = "test-deployer-key";
    public static final String OPERATOR_KEY = "test-operator-key";
    public static final String ALL_ROLES_KEY = "test-all-roles-key";

    private TestApi() {
    }

    /** A request made with the operator's key. */
    public static RequestSpecification asOperator() {
        return RestAssured.given().header("X-API-Key", OPERATOR_KEY);
    }

    public static void configure() {
        RestAssured.config = RestAssured.config()
                .jsonConfig(JsonConfig.jsonConfig().numberReturnType(NumberReturnType.DOUBLE));
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
