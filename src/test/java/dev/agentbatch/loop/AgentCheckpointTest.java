package dev.agentbatch.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

import org.junit.jupiter.api.Test;

class AgentCheckpointTest {

    @Test
    void readsTheIterationCountOfBothForms() throws Exception {
        assertEquals(7, AgentCheckpoint.iterations(7));
        // an execution checkpointed before the reader switched to Integer, read back as JBeret does
        assertEquals(12, AgentCheckpoint.iterations(roundTrip(new AgentCheckpoint(12))));
    }

    @Test
    void noCheckpointIsNoCount() {
        assertNull(AgentCheckpoint.iterations(null));
        assertNull(AgentCheckpoint.iterations("not ours"));
    }

    private static Serializable roundTrip(Serializable value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (Serializable) in.readObject();
        }
    }
}
