package dev.agentbatch.task;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * Size limits on everything the API reads, each violation a 4xx problem (never a 500): a body of at most 1 MiB
 * (413; the task input itself is capped at 256 KiB by {@link TaskValidator}), checked on its declared length and again
 * while it is read, and headers of at most 8 KiB each and 32 KiB together (431).
 */
@Provider
@PreMatching
public class RequestLimits implements ContainerRequestFilter, ReaderInterceptor {

    public static final int MAX_BODY = 1024 * 1024;
    public static final int MAX_HEADER = 8 * 1024;
    public static final int MAX_HEADERS = 32 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > MAX_BODY) {
            throw tooLarge(request.getLength());
        }
        int total = 0;
        for (Map.Entry<String, List<String>> header : request.getHeaders().entrySet()) {
            for (String value : header.getValue()) {
                int size = header.getKey().length() + (value == null ? 0 : value.length());
                if (size > MAX_HEADER) {
                    throw headers("header " + header.getKey() + " has " + size + " characters, more than " + MAX_HEADER);
                }
                total += size;
            }
        }
        if (total > MAX_HEADERS) {
            throw headers("the headers have " + total + " characters in all, more than " + MAX_HEADERS);
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException, WebApplicationException {
        context.setInputStream(new Limited(context.getInputStream()));
        return context.proceed();
    }

    private static ApiProblem tooLarge(long size) {
        return ApiProblem.of(413, "body-too-large", "Request body too large",
                "the body has " + (size < 0 ? "more than " + MAX_BODY : size) + " bytes; at most " + MAX_BODY + " are read");
    }

    private static ApiProblem headers(String detail) {
        return ApiProblem.of(431, "headers-too-large", "Request headers too large", detail);
    }

    /** A body stream that refuses to be read past the limit, whatever the request declared. */
    private static final class Limited extends FilterInputStream {
        private long read;

        Limited(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > MAX_BODY) {
                throw tooLarge(-1);
            }
        }
    }
}
