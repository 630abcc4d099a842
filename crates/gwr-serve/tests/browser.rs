//! The pages in a real browser: headless Chromium driven through
//! ChromeDriver (WebDriver), against the server on a free localhost port
//! over a store of the bundled samples. Screenshots go to
//! `target/screenshots/` for people to look at.
//!
//! Without Chromium and ChromeDriver (`/usr/bin/chromium`,
//! `/usr/bin/chromedriver`, or `GWR_CHROMIUM` / `GWR_CHROMEDRIVER`) the test
//! says so and passes, unless `GWR_BROWSER_TESTS=required` (as CI sets it).

mod common;

use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn tool(var: &str, default: &str) -> Option<PathBuf> {
    let p = std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from);
    p.is_file().then_some(p)
}

/// ChromeDriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn start_driver(path: &PathBuf) -> (Driver, u16) {
    let port = free_port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "chromedriver did not listen");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (driver, port)
}

async fn browser(chromium: &PathBuf, port: u16, profile: &std::path::Path) -> Client {
    let args = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--window-size=1400,1000",
    ];
    let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "binary": chromium, "args": args }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session")
}

async fn shot(c: &Client, name: &str) {
    let dir = common::root().join("target").join("screenshots");
    let _ = std::fs::create_dir_all(&dir);
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(dir.join(format!("{name}.png")), png);
    }
}

async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.map_or(0, |v| v.len())
}

async fn wait_for(c: &Client, css: &str) {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_work_in_a_real_browser() {
    let (Some(chromium), Some(chromedriver)) = (
        tool("GWR_CHROMIUM", "/usr/bin/chromium"),
        tool("GWR_CHROMEDRIVER", "/usr/bin/chromedriver"),
    ) else {
        let required = std::env::var("GWR_BROWSER_TESTS").is_ok_and(|v| v == "required");
        assert!(
            !required,
            "Chromium and ChromeDriver are required (GWR_BROWSER_TESTS=required)"
        );
        eprintln!("browser test skipped: no /usr/bin/chromium and /usr/bin/chromedriver");
        return;
    };
    // The server, on a free port.
    let app = common::app();
    let (base, stop, server) = common::start(app).await;
    let (_driver, port) = start_driver(&chromedriver).await;
    let profile = std::env::temp_dir().join(format!("gwr-chromium-{}", std::process::id()));
    let c = browser(&chromium, port, &profile).await;

    // Library: the region × year grid.
    c.goto(&format!("{base}/")).await.expect("library");
    wait_for(&c, "#library").await;
    assert!(count(&c, "#library a.doc").await >= 5);
    shot(&c, "library").await;

    // Search → reader at the passage.
    c.goto(&format!("{base}/search")).await.expect("search");
    let q = c
        .find(Locator::Css("input[name=q]"))
        .await
        .expect("query box");
    q.send_keys("营商环境").await.expect("typed");
    c.find(Locator::Css("form.search button[type=submit]"))
        .await
        .expect("button")
        .click()
        .await
        .expect("submitted");
    wait_for(&c, "ol.hits li").await;
    assert!(count(&c, "ol.hits mark").await > 0, "terms are marked");
    shot(&c, "search").await;
    c.find(Locator::Css("ol.hits li a.open"))
        .await
        .expect("a hit")
        .click()
        .await
        .expect("opened");
    wait_for(&c, "article.text").await;
    let url = c.current_url().await.expect("a url");
    assert!(url.path().starts_with("/doc/") && url.fragment().is_some_and(|f| f.starts_with('p')));
    let target = format!(
        "p{}",
        url.fragment().unwrap_or_default().trim_start_matches('p')
    );
    assert_eq!(
        count(&c, &format!("p#{target}")).await,
        1,
        "the passage is there"
    );
    assert!(count(&c, "nav.outline li a").await > 3, "outline");
    assert!(
        count(&c, "a.fig.k-actual").await > 0,
        "actual figures marked"
    );
    shot(&c, "reader").await;

    // The 2024 report of 上城区: targets with floor and stretch, 12 projects.
    let docs: serde_json::Value = serde_json::from_str(
        &common::http_get(&format!("{base}/api/v1/documents?region=330102&year=2024")).await,
    )
    .expect("json");
    let id = docs["items"][0]["id"].as_i64().expect("an id");
    c.goto(&format!("{base}/doc/{id}")).await.expect("reader");
    wait_for(&c, "#targets").await;
    assert!(count(&c, "a.fig.k-target").await > 10, "targets marked");
    let gdp = c
        .find(Locator::Css("a.fig.k-target[data-metric=gdp]"))
        .await
        .expect("the gdp target is marked");
    let title = gdp.attr("title").await.ok().flatten().unwrap_or_default();
    assert!(
        title.contains("gdp") && title.contains("target") && title.contains("stretch 5.5"),
        "{title}"
    );
    assert_eq!(
        count(&c, "#commitments tbody tr").await,
        13,
        "12 candidates and one completion"
    );
    let floor = c
        .find(Locator::XPath(
            "//section[@id='targets']//tr[td/code='gdp']/td[contains(@class,'floor')]",
        ))
        .await
        .expect("gdp row")
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(floor, "4");
    shot(&c, "reader-targets").await;
    // A figure links to its place in the original file.
    gdp.click().await.expect("followed");
    wait_for(&c, "pre.source mark.span").await;
    let span = c
        .find(Locator::Css("pre.source mark.span"))
        .await
        .expect("span")
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(span, "地区生产总值增长4%以上、力争5.5%");

    // Region: the chart is drawn (uPlot draws on a canvas).
    c.goto(&format!("{base}/region?region=330102&metric=gdp"))
        .await
        .expect("region");
    wait_for(&c, "#chart canvas").await;
    assert!(count(&c, "#tracking tbody tr").await >= 1);
    shot(&c, "region").await;

    // Compare: a bar chart and the table.
    c.goto(&format!("{base}/compare?metric=gdp&year=2023"))
        .await
        .expect("compare");
    wait_for(&c, "#chart canvas").await;
    assert!(count(&c, "#comparison tbody tr").await >= 1);
    shot(&c, "compare").await;

    // Open a file: a hostile report reads as text and runs nothing.
    let file = profile.with_extension("hostile.txt");
    std::fs::write(
        &file,
        "政府工作报告\n一、2024年工作回顾\n<script>window.gwrInjected = 1</script>全县生产总值增长6%。\n<img src=x onerror=\"window.gwrInjected = 2\">\n二、2025年主要预期目标\n地区生产总值增长6%以上、力争7%。\n",
    )
    .expect("written");
    c.goto(&format!("{base}/open")).await.expect("open");
    c.find(Locator::Css("input#file"))
        .await
        .expect("file input")
        .send_keys(&file.display().to_string())
        .await
        .expect("chosen");
    wait_for(&c, "article.text").await;
    assert!(count(&c, "mark.fig.k-target").await >= 1);
    let injected = c
        .execute("return window.gwrInjected === undefined;", vec![])
        .await
        .expect("script runs");
    assert_eq!(injected, serde_json::json!(true), "text ran as script");
    let shown = c
        .find(Locator::Css("article.text"))
        .await
        .expect("text")
        .text()
        .await
        .unwrap_or_default();
    assert!(shown.contains("<script>window.gwrInjected = 1</script>"));
    shot(&c, "open").await;

    let _ = c.close().await;
    let _ = stop.send(());
    let _ = server.await;
    let _ = std::fs::remove_dir_all(&profile);
    let _ = std::fs::remove_file(&file);
}
