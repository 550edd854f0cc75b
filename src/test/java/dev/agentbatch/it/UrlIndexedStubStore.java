package dev.agentbatch.it;

import java.util.Comparator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.common.FileSource;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.RequestMatcherExtension;
import com.github.tomakehurst.wiremock.store.DefaultStores;
import com.github.tomakehurst.wiremock.store.InMemoryStubMappingStore;
import com.github.tomakehurst.wiremock.store.StubMappingStore;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.stubbing.SubEvent;

/**
 * WireMock's in-memory stub store, indexed by exact URL ({@code urlEqualTo}): a request is matched against the stubs
 * of its own URL and the few without one, in WireMock's order (priority, then newest first), not against every stub.
 * Why: WireMock tries stubs one by one, about 7 µs each, and a benchmark run scripts thousands of them (a burst of a
 * thousand tasks is five thousand stubs), which would become most of a fake model call's time. The fake model's
 * {@link ChatCompletions} filter puts the scenario and iteration in the URL, so each call finds its stubs at once.
 */
final class UrlIndexedStubStore extends InMemoryStubMappingStore {

    private static final Comparator<StubMapping> ORDER = ((Comparator<StubMapping>) StubMapping::comparePriorityWith)
            .thenComparing(Comparator.comparingLong(StubMapping::getInsertionIndex).reversed());

    private final Map<String, NavigableSet<StubMapping>> byUrl = new ConcurrentHashMap<>();
    private final NavigableSet<StubMapping> unindexed = new ConcurrentSkipListSet<>(ORDER);
    private final Map<UUID, NavigableSet<StubMapping>> setOf = new ConcurrentHashMap<>();

    /** WireMock's default stores, with this stub store. */
    static DefaultStores stores(FileSource files) {
        UrlIndexedStubStore stubs = new UrlIndexedStubStore();
        return new DefaultStores(files) {
            @Override
            public StubMappingStore getStubStore() {
                return stubs;
            }
        };
    }

    @Override
    public void add(StubMapping stub) {
        super.add(stub); // numbers it
        index(stub);
    }

    @Override
    @SuppressWarnings("removal")
    public void remove(StubMapping stub) {
        super.remove(stub);
        unindex(stub.getId());
    }

    @Override
    public void replace(StubMapping existing, StubMapping updated) {
        super.replace(existing, updated);
        unindex(existing.getId());
        index(updated);
    }

    private void index(StubMapping stub) {
        String url = stub.getRequest().getUrl();
        NavigableSet<StubMapping> set = url == null ? unindexed
                : byUrl.computeIfAbsent(url, k -> new ConcurrentSkipListSet<>(ORDER));
        set.add(stub);
        setOf.put(stub.getId(), set);
    }

    private void unindex(UUID id) {
        NavigableSet<StubMapping> set = setOf.remove(id);
        if (set != null) {
            set.removeIf(s -> s.getId().equals(id));
        }
    }

    @Override
    public void clear() {
        super.clear();
        byUrl.clear();
        unindexed.clear();
        setOf.clear();
    }

    @Override
    public Stream<StubMapping> findAllMatchingRequest(Request request, Map<String, RequestMatcherExtension> customMatchers,
            Consumer<SubEvent> subEvents) {
        NavigableSet<StubMapping> own = byUrl.get(request.getUrl());
        Stream<StubMapping> candidates = own == null ? unindexed.stream()
                : Stream.concat(own.stream(), unindexed.stream()).sorted(ORDER);
        return candidates.filter(stub -> {
            MatchResult result = stub.getRequest().match(request, customMatchers);
            result.getSubEvents().forEach(subEvents);
            return result.isExactMatch();
        });
    }
}
