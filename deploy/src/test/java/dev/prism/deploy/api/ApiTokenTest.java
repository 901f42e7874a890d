package dev.prism.deploy.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.prism.deploy.TestMedia;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With prism.api.token set, /v1 needs the token; health and the page stay open. */
@QuarkusTest
@TestProfile(ApiTokenTest.WithToken.class)
class ApiTokenTest {

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("prism.api.token", "s3cret", "prism.data-dir", "target/prism-token-data", "prism.stages", "decode,codec");
        }
    }

    @Test
    void requestsWithoutOrWithAWrongTokenAre401AndNothingIsStored() throws Exception {
        given().get("/v1/jobs").then().statusCode(401).body("error", containsString("requires an API token"));
        given().header("Authorization", "Bearer nope").multiPart("file", TestMedia.clip(2).toFile()).post("/v1/jobs")
                .then().statusCode(401).body("error", containsString("not valid"));
        given().header("Authorization", "Bearer s3cret").get("/v1/jobs").then().statusCode(200);
        given().get("/v1/jobs?access_token=s3cret").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        java.nio.file.Path store = java.nio.file.Path.of("target/prism-token-data/store");
        org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.isDirectory(store)
                && java.nio.file.Files.list(store).findAny().isPresent(), "nothing stored for refused requests");
    }
}
