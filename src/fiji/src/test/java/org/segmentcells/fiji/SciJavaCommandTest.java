package org.segmentcells.fiji;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.scijava.Context;
import org.scijava.command.CommandService;

/**
 * A headless SciJava context with the command service, shared by the tests of one class, as Fiji
 * would run the commands. Parameter values persist through java.util.prefs, which the build points
 * at target/prefs, so tests never read or write the developer's own preferences.
 */
abstract class SciJavaCommandTest {

    static Context context;
    static CommandService commands;

    @BeforeAll
    static void startContext() {
        context = new Context(CommandService.class);
        commands = context.service(CommandService.class);
    }

    @AfterAll
    static void stopContext() {
        context.dispose();
    }
}
