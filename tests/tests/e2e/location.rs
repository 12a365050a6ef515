//! Where a site's data lives: a site created with a jurisdiction or a location hint gets it in
//! its id (`eu.shop`), shows it in its settings and public config, and every route works for it
//! — its shards included. (Local workerd does not enforce jurisdictions; what Cloudflare
//! guarantees is in the README.)

use crate::util::*;
use harness::http::request;
use serde_json::json;

#[test]
fn a_located_site_keeps_its_place_in_its_id_and_every_route_works() {
    let w = start("location");
    for (place, field, want_id) in [
        ("eu", "jurisdiction", "eu.shop"),
        ("weur", "location_hint", "weur.shop"),
    ] {
        let r = admin_create(
            &w,
            &json!({"name": "Shop", "allowed_origins": [ORIGIN], "site_id": "shop", field: place}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let site = r.json()["site_id"].as_str().unwrap().to_string();
        assert_eq!(site, want_id);
        let token = r.json()["owner_token"].as_str().unwrap().to_string();
        let location = json!({
            "jurisdiction": (field == "jurisdiction").then_some(place),
            "location_hint": (field == "location_hint").then_some(place),
        });
        // The settings and the public config show where the data lives.
        let r = patch(
            &w,
            &site,
            &token,
            json!({"shards": 3, "rate_limit_per_minute": 10000}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["data_location"], location);
        let config = request(
            "GET",
            &w.url(&format!("/v1/sites/{site}/config")),
            &[],
            None,
        )
        .unwrap();
        assert_eq!(config.status, 200, "{}", config.body);
        assert_eq!(config.json()["data_location"], location);
        // Answers spread over the site's three shards, all in its place; each counted once.
        let mut ids = Vec::new();
        for n in 0..12u32 {
            let id = uuid(100 + n);
            ingest_ok(
                &w,
                &site,
                &answer(&id, "csat", 1 + (n % 5) as i64, Some("fine")),
            );
            ids.push(id);
        }
        let replay = ingest(
            &w,
            &site,
            Some(ORIGIN),
            "text/plain",
            &answer(&ids[0], "csat", 1, Some("fine")),
        );
        assert_eq!(
            (replay.status, replay.json()["duplicate"].clone()),
            (200, json!(true))
        );
        ids.sort();
        let s = summary(&w, &site, &token, "").json();
        assert_eq!(s["responses"], json!(12), "{s}");
        assert_eq!(s["site"], json!(site));
        assert_eq!(exported_ids(&w, &site, &token), ids);
        // Cases, erase and the token work there too.
        let cases = owner_get(&w, &format!("/v1/sites/{site}/cases?status=all"), &token);
        assert_eq!(cases.status, 200, "{}", cases.body);
        assert!(!cases.json()["cases"].as_array().unwrap().is_empty());
        let owner = format!("Bearer {token}");
        let erased = request(
            "DELETE",
            &w.url(&format!("/v1/sites/{site}/responses/{}", ids[0])),
            &[("authorization", &owner)],
            None,
        )
        .unwrap();
        assert_eq!(erased.status, 200, "{}", erased.body);
        assert_eq!(
            summary(&w, &site, &token, "").json()["responses"],
            json!(11)
        );
        // The owner token of one place reads nothing of the same name elsewhere.
        assert_eq!(summary(&w, "shop", &token, "").status, 404);
    }
    // A plain site keeps a plain id and no location.
    let plain = w.create_site("shop", &[ORIGIN]);
    let r = patch(&w, "shop", &plain, json!({"throttle_days": 1}));
    assert_eq!(
        r.json()["data_location"],
        json!({"jurisdiction": null, "location_hint": null})
    );
    assert_eq!(
        summary(&w, "shop", &plain, "").json()["responses"],
        json!(0)
    );
    assert_eq!(summary(&w, "eu.shop", &plain, "").status, 401);
}

#[test]
fn an_unknown_place_is_refused_and_creates_nothing() {
    let w = start("location-refused");
    for (body, field) in [
        (json!({"jurisdiction": "us"}), "jurisdiction"),
        (json!({"location_hint": "moon"}), "location_hint"),
        (
            json!({"jurisdiction": "eu", "location_hint": "weur"}),
            "location_hint",
        ),
        (json!({"site_id": "eu.shop"}), "site_id"),
    ] {
        let mut b = json!({"name": "Shop", "allowed_origins": [ORIGIN], "site_id": "shop"});
        for (k, v) in body.as_object().unwrap() {
            b[k] = v.clone();
        }
        let r = admin_create(&w, &b);
        expect_error(
            &r,
            400,
            r.json()["error"]["code"].as_str().unwrap_or("?"),
            Some(field),
        );
    }
    for site in ["shop", "eu.shop", "weur.shop"] {
        let r = request(
            "GET",
            &w.url(&format!("/v1/sites/{site}/config")),
            &[],
            None,
        )
        .unwrap();
        assert_eq!(r.status, 404, "{site}: {}", r.body);
    }
}
