package dev.agentbatch.console;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Each page of the console has its own address ({@code /console/tasks/42}, {@code /console/nodes}, …) that an operator
 * can bookmark or paste into a ticket; all of them are the same single page, which reads the address and draws the
 * view. The security constraint of {@code /console/*} (web.xml) has been applied to the address asked for before this
 * filter forwards.
 */
@WebFilter(urlPatterns = {"/console/tasks/*", "/console/nodes", "/console/approvals"})
public class ConsoleRoutes extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Cache-Control", "no-store");
        request.getRequestDispatcher("/console/index.html").forward(request, response);
    }
}
