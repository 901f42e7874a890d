package dev.prism.deploy.api;

import dev.prism.deploy.config.PrismConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Optional API token: when {@code prism.api.token} is set, /v1 requests need "Authorization: Bearer TOKEN"
 * (or {@code ?access_token=TOKEN}, for the browser's EventSource which cannot set headers).
 */
public class TokenFilter {

    /** Resolved per request: filters are built at static init, before runtime config mappings exist. */
    @Inject
    Instance<PrismConfig> config;

    @ServerRequestFilter
    public Response check(ContainerRequestContext ctx) {
        var token = config.get().api().token().filter(t -> !t.isBlank());
        if (token.isEmpty() || !ctx.getUriInfo().getPath().startsWith("/v1")) return null;
        String given = null;
        String auth = ctx.getHeaderString("Authorization");
        if (auth != null && auth.startsWith("Bearer ")) given = auth.substring(7).trim();
        if (given == null) given = ctx.getUriInfo().getQueryParameters().getFirst("access_token");
        if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.get().getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return ErrorMappers.json(401, given == null
                ? "this Prism requires an API token: send 'Authorization: Bearer <token>'"
                : "the API token is not valid for this Prism");
    }
}
