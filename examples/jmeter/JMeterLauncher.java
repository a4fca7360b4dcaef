import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Runs Debian's JMeter 2.13 with the XStream it is packaged with (libxstream-java 1.4.18 or later).
 *
 * Since 1.4.18 XStream refuses every type not on its allow-list, and JMeter 2.13 predates that: it
 * never allows its own classes, so `jmeter` stops at loading any plan with
 * ForbiddenClassException: org.apache.jmeter.save.ScriptWrapper. This launcher allows JMeter's
 * own types (org.apache.jmeter.**, org.apache.jorphan.**) on the two XStream instances that read
 * plans and XML results (SaveService.JMXSAVER and JTLSAVER), on top of XStream's default list, then
 * starts JMeter as the `jmeter` script does. Any other type stays under XStream's default list.
 *
 * Run it from source (Java 11 or later, a JDK installed), with JMeter's jar as the only class path
 * entry (JMeter finds its home, /usr/share/jmeter, from it):
 *   java -cp /usr/share/jmeter/bin/ApacheJMeter.jar examples/jmeter/JMeterLauncher.java \
 *     -n -t plan.jmx -l results.jtl …
 * Every argument after the file name is JMeter's.
 */
public final class JMeterLauncher {
  private static final String[] JMETER_TYPES = {"org.apache.jmeter.**", "org.apache.jorphan.**"};

  public static void main(String[] args) throws Exception {
    // NewDriver's static initialiser builds the class loader over JMeter's lib/ and lib/ext/ jars;
    // SaveService must come from that loader to be the class JMeter itself uses.
    Class<?> driver = Class.forName("org.apache.jmeter.NewDriver");
    ClassLoader loader = (ClassLoader) staticField(driver, "loader");
    // SaveService reads jmeter.properties when it is first loaded, which JMeter does only after
    // parsing its arguments: load the installed one now (JMeter loads it again, with -p and -J),
    // and send SaveService's first log lines to the log file (-j, else jmeter.log), not stdout.
    String home = (String) driver.getMethod("getJMeterDir").invoke(null);
    Class<?> utils = Class.forName("org.apache.jmeter.util.JMeterUtils", true, loader);
    utils.getMethod("setJMeterHome", String.class).invoke(null, home);
    utils.getMethod("loadJMeterProperties", String.class).invoke(null, home + "/bin/jmeter.properties");
    String logFile = logFileOf(args);
    if (logFile != null) utils.getMethod("setProperty", String.class, String.class).invoke(null, "log_file", logFile);
    utils.getMethod("initLogging").invoke(null);
    Class<?> saveService = Class.forName("org.apache.jmeter.save.SaveService", true, loader);
    for (String name : new String[] {"JMXSAVER", "JTLSAVER"}) {
      Object xstream = staticField(saveService, name);
      Method allow = xstream.getClass().getMethod("allowTypesByWildcard", String[].class);
      allow.invoke(xstream, (Object) JMETER_TYPES);
    }
    driver.getMethod("main", String[].class).invoke(null, (Object) args);
  }

  /** JMeter's -j option in each spelling its parser takes: -j FILE, -jFILE, --jmeterlogfile FILE, --jmeterlogfile=FILE. */
  private static String logFileOf(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ((arg.equals("-j") || arg.equals("--jmeterlogfile")) && i + 1 < args.length) return args[i + 1];
      if (arg.startsWith("--jmeterlogfile=")) return arg.substring("--jmeterlogfile=".length());
      if (arg.startsWith("-j") && !arg.startsWith("--") && arg.length() > 2) return arg.substring(2);
    }
    return null;
  }

  private static Object staticField(Class<?> owner, String name) throws ReflectiveOperationException {
    Field field = owner.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(null);
  }
}
