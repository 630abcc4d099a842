//! Units written after figures (亿元, 万人, %, …), read from `data/units.toml`.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const UNITS_TOML: &str = include_str!("../../../data/units.toml");

#[derive(Debug, Deserialize)]
struct UnitFile {
    /// Periods of a rate written after a unit: 吨/日, 万千瓦时/年.
    #[serde(default)]
    rate_periods: Vec<String>,
    unit: Vec<UnitGroup>,
}

#[derive(Debug, Deserialize)]
struct UnitGroup {
    dimension: String,
    base: String,
    units: HashMap<String, f64>,
}

/// One unit with its scale to the base unit of its dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub name: String,
    pub dimension: String,
    pub base: String,
    pub scale: f64,
}

impl Unit {
    pub fn is_percent(&self) -> bool {
        self.dimension == "ratio"
    }
}

/// The unit table, longest names first.
#[derive(Debug, Clone)]
pub struct Units {
    units: Vec<Unit>,
    /// First character → indexes into `units`, longest names first, sorted
    /// by the character (a binary search: the lookup runs for every number).
    by_first: Vec<(char, Vec<usize>)>,
    by_name: HashMap<String, usize>,
    rate_periods: Vec<String>,
}

impl Units {
    pub fn from_toml(text: &str) -> Result<Units, String> {
        let f: UnitFile = toml::from_str(text).map_err(|e| format!("units: {e}"))?;
        let mut units: Vec<Unit> = f
            .unit
            .into_iter()
            .flat_map(|g| {
                let (dimension, base) = (g.dimension, g.base);
                g.units.into_iter().map(move |(name, scale)| Unit {
                    name,
                    dimension: dimension.clone(),
                    base: base.clone(),
                    scale,
                })
            })
            .collect();
        // Rate rule: every unit followed by /period is a rate of its own
        // dimension (4000吨/日 is mass per day, never a mass), so no metric
        // measured in the plain unit takes it.
        let rates: Vec<Unit> = units
            .iter()
            .filter(|u| u.dimension != "ratio")
            .flat_map(|u| {
                f.rate_periods.iter().map(move |p| Unit {
                    name: format!("{}/{p}", u.name),
                    dimension: format!("{}/{p}", u.dimension),
                    base: format!("{}/{p}", u.base),
                    scale: u.scale,
                })
            })
            .collect();
        units.sort_by(|a, b| b.name.len().cmp(&a.name.len()).then(a.name.cmp(&b.name)));
        // Plain units only: a rate is found from its unit (see `at_start`).
        let mut by_first: Vec<(char, Vec<usize>)> = Vec::new();
        for (i, u) in units.iter().enumerate() {
            if let Some(c) = u.name.chars().next() {
                match by_first.iter_mut().find(|(f, _)| *f == c) {
                    Some((_, v)) => v.push(i),
                    None => by_first.push((c, vec![i])),
                }
            }
        }
        by_first.sort_by_key(|(c, _)| *c);
        units.extend(rates);
        let by_name = units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.name.clone(), i))
            .collect();
        Ok(Units {
            units,
            by_first,
            by_name,
            rate_periods: f.rate_periods,
        })
    }

    /// The table shipped with gwr.
    pub fn builtin() -> &'static Units {
        static U: OnceLock<Units> = OnceLock::new();
        U.get_or_init(|| Units::from_toml(UNITS_TOML).expect("bundled units table is valid"))
    }

    /// The longest unit at the start of `text`, as a rate when /period
    /// follows it (吨/日).
    pub fn at_start(&self, text: &str) -> Option<&Unit> {
        let first = text.chars().next()?;
        let k = self
            .by_first
            .binary_search_by_key(&first, |(c, _)| *c)
            .ok()?;
        let unit = self.by_first[k]
            .1
            .iter()
            .map(|&i| &self.units[i])
            .find(|u| text.starts_with(u.name.as_str()))?;
        let rest = &text[unit.name.len()..];
        let rate = rest.strip_prefix('/').and_then(|after| {
            let p = self
                .rate_periods
                .iter()
                .find(|p| after.starts_with(p.as_str()))?;
            self.get(&format!("{}/{p}", unit.name))
        });
        Some(rate.unwrap_or(unit))
    }

    pub fn get(&self, name: &str) -> Option<&Unit> {
        self.by_name.get(name).map(|&i| &self.units[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_keep_their_period() {
        let u = Units::builtin();
        let r = u.at_start("吨/日的污水").expect("a rate");
        assert_eq!(
            (r.name.as_str(), r.dimension.as_str()),
            ("吨/日", "mass/日")
        );
        let e = u.at_start("万千瓦时/年").expect("a rate");
        assert_eq!((e.name.as_str(), e.scale), ("万千瓦时/年", 1e4));
        assert_eq!(u.at_start("吨，增长").map(|u| u.name.as_str()), Some("吨"));
    }

    #[test]
    fn longest_unit_wins() {
        let u = Units::builtin();
        assert_eq!(
            u.at_start("亿元，增长").map(|u| u.name.as_str()),
            Some("亿元")
        );
        assert_eq!(u.at_start("万亿元").map(|u| u.scale), Some(1e12));
        assert_eq!(
            u.at_start("亿美元").map(|u| u.dimension.as_str()),
            Some("money_usd")
        );
        assert_eq!(u.at_start("%左右").map(Unit::is_percent), Some(true));
        assert!(u.at_start("年").is_none());
    }
}
