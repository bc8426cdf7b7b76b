// The invoked build passing is not enough: its test must have run, and passed.
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.orders.OrdersApplicationTests.xml')
assert report.isFile() : "no test report: OrdersApplicationTests did not run"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.toInteger() == 1 && suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0 && suite.@skipped.toInteger() == 0 :
        "OrdersApplicationTests: tests=${suite.@tests} failures=${suite.@failures} errors=${suite.@errors} skipped=${suite.@skipped}"
