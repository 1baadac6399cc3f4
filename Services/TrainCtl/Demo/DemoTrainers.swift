/// The demo center's eight trainers for the plan month: who they are (the biography the
/// notice memo prints), which courses they may teach, and their working hours on the
/// month's working days. Five work days (09:00–18:00), three work late (12:00–21:00) so
/// that agents on late shifts can be trained too; a few take a day or two of leave.
///
/// Every course has at least two qualified trainers, so that leave or a clash never leaves
/// a course without anyone to teach it.
struct DemoTrainers {
    struct Trainer {
        let id: String
        let name: String
        let biography: String
        let qualifiedCourseIds: [String]
        /// Working hours, oldest first: day of the month (0 = the 1st), minutes of the day.
        let availability: [DemoDaySpan]
    }

    private struct Profile {
        let specialty: String
        let background: String
        let site: String
        let late: Bool
        let courses: [String]
    }

    private static let profiles: [Profile] = [
        Profile(specialty: "new products and campaigns", background: "Retail Support", site: "Shanghai", late: false,
                courses: ["NB-MOBILE3", "NC-YEAREND", "PS-FIRSTTIME", "SK-MORTGAGE", "SK-SUITABILITY", "OB-SYSTEMS", "IS-BACKOFFICE"]),
        Profile(specialty: "quality and compliance", background: "the QA team", site: "Shanghai", late: false,
                courses: ["QA-COMPLIANCE", "QA-WARMTH", "SK-COLLECTIONS", "SK-SUITABILITY", "OB-FIRSTCALLS", "CH-DEESCALATE"]),
        Profile(specialty: "complaint handling and difficult customers", background: "Card Services", site: "Chengdu", late: false,
                courses: ["CH-DEESCALATE", "CS-DIFFICULT", "QA-WARMTH", "SA-LISTEN", "SE-STEADY"]),
        Profile(specialty: "wellbeing, stress and team work", background: "Collections", site: "Wuhan", late: false,
                courses: ["SE-STEADY", "SA-LISTEN", "TC-HANDOVER", "CD-PATHS", "SM-COACHING"]),
        Profile(specialty: "new-hire onboarding", background: "Digital Channels", site: "Chengdu", late: false,
                courses: ["OB-SYSTEMS", "OB-FIRSTCALLS", "OB-BUDDY", "SK-SHADOW", "NB-MOBILE3", "NC-YEAREND", "QA-COMPLIANCE"]),
        Profile(specialty: "digital channels and new business", background: "Digital Channels", site: "Wuhan", late: true,
                courses: ["NB-MOBILE3", "NC-YEAREND", "IS-BACKOFFICE", "PS-FIRSTTIME", "QA-COMPLIANCE", "TC-HANDOVER"]),
        Profile(specialty: "call-recording reviews", background: "the QA team", site: "Shanghai", late: true,
                courses: ["QA-COMPLIANCE", "QA-WARMTH", "CH-DEESCALATE", "SK-COLLECTIONS", "SK-SHADOW", "CS-DIFFICULT"]),
        Profile(specialty: "team leader development and resilience", background: "Loans & Mortgages", site: "Chengdu", late: true,
                courses: ["SM-COACHING", "CD-PATHS", "SE-STEADY", "CH-DEESCALATE", "OB-BUDDY", "SK-MORTGAGE", "CS-DIFFICULT"]),
    ]

    static let dayHours = (start: 9 * 60, end: 18 * 60)
    static let lateHours = (start: 12 * 60, end: 21 * 60)

    let trainers: [Trainer]

    init(seed: UInt64, month: DemoMonth) {
        trainers = DemoTrainers.profiles.enumerated().map { index, profile in
            var random = SplitMix64(seed: seed, stream: "trainers", index: index)
            let name = DemoNames.name(&random)
            let years = random.int(3...12)
            let phoneYears = random.int(2...6)
            let biography = "\(name) has trained call-center staff for \(years) years, after \(phoneYears) years on the phones in "
                + "\(profile.background). Specialises in \(profile.specialty). Based in \(profile.site); delivers at every site and online."
            // A third of the trainers take one or two working days of leave in the month.
            var leave: Set<Int> = []
            let workingDays = month.workingDays
            if !workingDays.isEmpty, random.chance(0.35) {
                let first = random.int(0...(workingDays.count - 1))
                for offset in 0..<random.int(1...2) where first + offset < workingDays.count {
                    leave.insert(workingDays[first + offset])
                }
            }
            let hours = profile.late ? DemoTrainers.lateHours : DemoTrainers.dayHours
            return Trainer(
                id: "TR\(Digits.padded(index + 1, 2))", name: name, biography: biography, qualifiedCourseIds: profile.courses,
                availability: workingDays.filter { !leave.contains($0) }.map { DemoDaySpan(day: $0, start: hours.start, end: hours.end) })
        }
    }
}
