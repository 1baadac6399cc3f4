/// The demo center's training catalogue: twenty courses covering every kind of the contract
/// (new business and campaigns, quality, complaints, stress, soft skills, management,
/// onboarding), each with the purpose the notice memo prints, its topics and preparation,
/// and the scorecard lines and KPIs it is meant to move.
///
/// Why fixed text: a course catalogue changes slowly and a training manager writes it by
/// hand; only what is personal (names, courseware versions) comes from the seed.
enum DemoCatalogue {
    /// The contract's course kinds, spelled as the import files spell them.
    enum Kind: String, CaseIterable {
        case newBusiness = "new_business"
        case newCampaign = "new_campaign"
        case skillImprovement = "skill_improvement"
        case serviceQualityImprovement = "service_quality_improvement"
        case serviceAwareness = "service_awareness"
        case customerServiceSkills = "customer_service_skills"
        case internalService = "internal_service"
        case teamCollaboration = "team_collaboration"
        case problemSolving = "problem_solving"
        case serviceManagement = "service_management"
        case onboarding
        case complaintHandling = "complaint_handling"
        case stressAndEmotionManagement = "stress_and_emotion_management"
        case careerDevelopment = "career_development"
    }

    enum Category: String {
        case mandatory, elective, optional
    }

    enum Method: String, CaseIterable {
        case classroom
        case recordingReview = "recording_review"
        case simulation
        case floorShadowing = "floor_shadowing"
        case video, audio, reading, online

        /// Group methods need a training room; the others happen at the desk, on the floor or
        /// online, and the demo books no room for them (an online session must not have one).
        var needsRoom: Bool {
            switch self {
            case .classroom, .recordingReview, .simulation: true
            case .floorShadowing, .video, .audio, .reading, .online: false
            }
        }
    }

    struct Course {
        let id: String
        let title: String
        let kind: Kind
        let category: Category
        let method: Method
        let durationMinutes: Int
        let purpose: String
        let topics: [String]
        let preparation: String
        let criterionIds: [String]
        let metricIds: [String]
        /// Department names as on the roster; empty: every department.
        let departments: [String]
        /// Sites; empty: every site.
        let sites: [String]
        let forManagers: Bool
        /// The group a session of it suits: seats offered when the room allows.
        let groupSize: Int
        /// Sessions a month of a course that binds nobody (volunteers and managers only).
        let voluntarySessions: Int

        /// Whether the course binds an agent of this roster status when every in-service
        /// agent is taken as standard tier: the most seats the plan can need. Mirrors the
        /// scheduling rule: new business and new campaigns are always mandatory; onboarding
        /// courses are for agents in onboarding only; optional courses bind nobody.
        func bindsAtMost(onboarding: Bool) -> Bool {
            let effective = kind == .newBusiness || kind == .newCampaign ? .mandatory : category
            return effective != .optional && onboarding == (kind == .onboarding)
        }
    }

    /// A department's name by its roster code, for the courses meant for one department.
    private static func department(_ code: String) -> [String] {
        DemoCenter.departments.filter { $0.code == code }.map(\.name)
    }

    static let courses: [Course] = [
        // Mandatory for everyone in service.
        Course(
            id: "NB-MOBILE3", title: "Mobile banking app 3.0: what changes for customers", kind: .newBusiness, category: .mandatory,
            method: .classroom, durationMinutes: 120,
            purpose: "From launch day customers will call about the new app. You will know the answers before the calls arrive.",
            topics: ["New log-in and device binding", "Transfer limits and the new approval flow", "The ten questions the pilot customers asked most",
                     "Where the knowledge base answers them"],
            preparation: "Install the staff preview of app 3.0 on the training phone and make one test transfer.",
            criterionIds: ["business_accuracy", "resolution"], metricIds: ["fcr", "aht_seconds"],
            departments: [], sites: [], forManagers: false, groupSize: 24, voluntarySessions: 0),
        Course(
            id: "NC-YEAREND", title: "Year-end card rewards campaign", kind: .newCampaign, category: .mandatory,
            method: .online, durationMinutes: 60,
            purpose: "The campaign brings questions about points, bonus categories and who qualifies. Clear answers prevent callbacks.",
            topics: ["Who qualifies and how to check it", "Bonus categories and point caps", "Redemption deadlines", "What to say when a customer does not qualify"],
            preparation: "Read the two-page campaign brief in the knowledge base.",
            criterionIds: ["business_accuracy", "standard_phrasing"], metricIds: ["fcr", "csat"],
            departments: [], sites: [], forManagers: false, groupSize: 30, voluntarySessions: 0),
        Course(
            id: "QA-COMPLIANCE", title: "Compliance on every call: disclosures and identity checks", kind: .serviceQualityImprovement,
            category: .mandatory, method: .recordingReview, durationMinutes: 90,
            purpose: "Every call must protect the customer and the bank. We listen to real calls together and agree what good looks like.",
            topics: ["Identity verification step by step", "Mandatory disclosures and when they apply", "Recording consent",
                     "The compliance line of the scorecard"],
            preparation: "Bring one of your own recent calls where identity checks were difficult.",
            criterionIds: ["compliance", "standard_phrasing"], metricIds: ["complaints"],
            departments: [], sites: [], forManagers: false, groupSize: 20, voluntarySessions: 0),
        // Elective: binds everyone but the advanced tier.
        Course(
            id: "QA-WARMTH", title: "Warm and clear: phrasing that customers notice", kind: .serviceQualityImprovement, category: .elective,
            method: .recordingReview, durationMinutes: 90,
            purpose: "Customers remember how a call felt. Small changes in phrasing make calls warmer and shorter.",
            topics: ["Openings and closings that sound human", "Empathy statements that do not sound scripted",
                     "Explaining without jargon", "Standard phrasing, kept natural"],
            preparation: "Listen to two of your calls from last week and note one sentence you would say differently.",
            criterionIds: ["service_warmth", "standard_phrasing"], metricIds: ["csat"],
            departments: [], sites: [], forManagers: false, groupSize: 20, voluntarySessions: 0),
        Course(
            id: "CH-DEESCALATE", title: "Handling complaints and de-escalation", kind: .complaintHandling, category: .elective,
            method: .simulation, durationMinutes: 120,
            purpose: "An upset customer can become a loyal one. Practise the steps that calm a call and solve the real problem.",
            topics: ["Listening before solving", "Apologising without admitting fault", "Offering options within policy",
                     "When and how to escalate", "Writing the complaint record"],
            preparation: "Think of one complaint call you found hard; you may bring it as a scenario.",
            criterionIds: ["resolution", "service_warmth", "timeliness"], metricIds: ["complaints", "csat"],
            departments: [], sites: [], forManagers: false, groupSize: 14, voluntarySessions: 0),
        Course(
            id: "SE-STEADY", title: "Staying steady: stress and emotion management on the phones", kind: .stressAndEmotionManagement,
            category: .elective, method: .classroom, durationMinutes: 90,
            purpose: "Difficult calls take their toll. Learn techniques that keep you calm during a call and help you recover after it.",
            topics: ["What stress does to a conversation", "Breathing and reset techniques between calls", "Not taking anger personally",
                     "Where to get support"],
            preparation: "None.",
            criterionIds: ["service_warmth"], metricIds: ["csat"],
            departments: [], sites: [], forManagers: false, groupSize: 24, voluntarySessions: 0),
        // Optional: volunteers, and department-specific refreshers.
        Course(
            id: "PS-FIRSTTIME", title: "Solved the first time: finding the real question", kind: .problemSolving, category: .optional,
            method: .classroom, durationMinutes: 90,
            purpose: "Most repeat calls start with a question that was not quite the customer's. Find it on the first call.",
            topics: ["Questions that uncover the need", "Checking understanding", "Closing the loop before the call ends"],
            preparation: "Bring one case where a customer called back about the same issue.",
            criterionIds: ["resolution", "business_accuracy"], metricIds: ["fcr"],
            departments: [], sites: [], forManagers: false, groupSize: 24, voluntarySessions: 2),
        Course(
            id: "CS-DIFFICULT", title: "Difficult conversations: saying no and keeping the customer", kind: .customerServiceSkills,
            category: .optional, method: .simulation, durationMinutes: 120,
            purpose: "Sometimes the answer is no. Practise saying it so that the customer still feels helped.",
            topics: ["Explaining a refusal", "Offering what you can do", "Handling repeated demands"],
            preparation: "None.",
            criterionIds: ["service_warmth", "resolution"], metricIds: ["csat", "complaints"],
            departments: [], sites: [], forManagers: false, groupSize: 12, voluntarySessions: 2),
        Course(
            id: "SA-LISTEN", title: "Listening to customers: an audio series", kind: .serviceAwareness, category: .optional,
            method: .audio, durationMinutes: 45,
            purpose: "Customers describe in their own words what made a call good or bad. Hearing them changes how we listen.",
            topics: ["What customers remember", "Moments that build trust", "Moments that lose it"],
            preparation: "Headphones.",
            criterionIds: ["service_warmth"], metricIds: ["csat"],
            departments: [], sites: [], forManagers: false, groupSize: 30, voluntarySessions: 2),
        Course(
            id: "IS-BACKOFFICE", title: "Working with the back office: handovers that stick", kind: .internalService, category: .optional,
            method: .online, durationMinutes: 60,
            purpose: "A good handover means the customer never has to explain twice. Meet the back-office teams and learn what they need.",
            topics: ["What a complete case note contains", "Service levels of the back-office teams", "Following up a handed-over case"],
            preparation: "None.",
            criterionIds: ["resolution", "timeliness"], metricIds: ["fcr"],
            departments: [], sites: [], forManagers: false, groupSize: 40, voluntarySessions: 2),
        Course(
            id: "TC-HANDOVER", title: "Team collaboration: shared cases and shift handovers", kind: .teamCollaboration,
            category: .optional, method: .classroom, durationMinutes: 90,
            purpose: "Cases that span shifts succeed when the team shares them well.",
            topics: ["Shift handover notes", "Asking for and giving help on the floor", "Shared case queues"],
            preparation: "None.",
            criterionIds: ["timeliness"], metricIds: ["fcr"],
            departments: [], sites: [], forManagers: false, groupSize: 24, voluntarySessions: 1),
        Course(
            id: "SK-SHADOW", title: "Shadowing a top performer", kind: .skillImprovement, category: .optional,
            method: .floorShadowing, durationMinutes: 120,
            purpose: "Sit beside a colleague whose calls customers rate highly and take home the habits that work for you.",
            topics: ["Call control", "Using the knowledge base during a call", "Wrap-up habits"],
            preparation: "Write down two things you want to watch for.",
            criterionIds: ["business_accuracy", "resolution", "timeliness"], metricIds: ["aht_seconds", "fcr"],
            departments: [], sites: [], forManagers: false, groupSize: 4, voluntarySessions: 3),
        Course(
            id: "SK-MORTGAGE", title: "Mortgage rate resets: explaining the new payment", kind: .skillImprovement, category: .optional,
            method: .classroom, durationMinutes: 90,
            purpose: "Customers whose rate resets want to understand their new payment; a clear explanation avoids a complaint.",
            topics: ["How the reset is calculated", "Reading the payment notice with the customer", "Options to offer"],
            preparation: "Bring a calculator or use the one on your desktop.",
            criterionIds: ["business_accuracy", "compliance"], metricIds: ["fcr", "complaints"],
            departments: department("LM"), sites: ["Chengdu"], forManagers: false, groupSize: 20, voluntarySessions: 1),
        Course(
            id: "SK-SUITABILITY", title: "Wealth product suitability: reading pack", kind: .skillImprovement, category: .optional,
            method: .reading, durationMinutes: 60,
            purpose: "Suitability rules protect customers and advisers alike. Refresh them at your own pace.",
            topics: ["Risk profiles", "Products by risk level", "What to record"],
            preparation: "None.",
            criterionIds: ["compliance", "business_accuracy"], metricIds: ["complaints"],
            departments: department("WM"), sites: [], forManagers: false, groupSize: 30, voluntarySessions: 1),
        Course(
            id: "SK-COLLECTIONS", title: "Collections calls within the rules", kind: .skillImprovement, category: .optional,
            method: .recordingReview, durationMinutes: 90,
            purpose: "Firm and fair collections calls keep customers paying and keep the center within the rules.",
            topics: ["What may and may not be said", "Agreeing a payment plan", "Customers in hardship"],
            preparation: "None.",
            criterionIds: ["compliance", "standard_phrasing"], metricIds: ["complaints"],
            departments: department("CO"), sites: ["Wuhan"], forManagers: false, groupSize: 16, voluntarySessions: 1),
        Course(
            id: "SM-COACHING", title: "Coaching conversations for team leaders", kind: .serviceManagement, category: .optional,
            method: .classroom, durationMinutes: 120,
            purpose: "Agents improve when their team leader coaches from evidence and agrees targets with them.",
            topics: ["Preparing from scores and recordings", "Agreeing a metric target", "Following up after two weeks",
                     "Writing the problem summary"],
            preparation: "Bring the scores of one agent you coach.",
            criterionIds: [], metricIds: ["csat", "fcr"],
            departments: [], sites: [], forManagers: true, groupSize: 18, voluntarySessions: 2),
        Course(
            id: "CD-PATHS", title: "Career paths: agent, team leader, QA, trainer", kind: .careerDevelopment, category: .optional,
            method: .video, durationMinutes: 45,
            purpose: "See where a career in the center can lead and what each step asks of you.",
            topics: ["Roles and what they involve", "How internal openings work", "Skills to build now"],
            preparation: "None.",
            criterionIds: [], metricIds: [],
            departments: [], sites: [], forManagers: false, groupSize: 30, voluntarySessions: 1),
        // Onboarding: the new hires' curriculum.
        Course(
            id: "OB-SYSTEMS", title: "Onboarding: systems, call flow and the knowledge base", kind: .onboarding, category: .mandatory,
            method: .classroom, durationMinutes: 180,
            purpose: "Everything you need on your first day on the phones: the desktop, the call flow and where the answers are.",
            topics: ["The agent desktop", "The call flow from greeting to wrap-up", "Finding answers in the knowledge base",
                     "Identity checks"],
            preparation: "Bring your staff badge and your system log-in.",
            criterionIds: ["standard_phrasing", "business_accuracy", "compliance"], metricIds: ["aht_seconds"],
            departments: [], sites: [], forManagers: false, groupSize: 16, voluntarySessions: 0),
        Course(
            id: "OB-FIRSTCALLS", title: "Onboarding: first calls in the simulator", kind: .onboarding, category: .mandatory,
            method: .simulation, durationMinutes: 120,
            purpose: "Take your first calls with a trainer beside you, before a real customer is on the line.",
            topics: ["Ten common call types", "Holding and transferring", "Wrap-up notes"],
            preparation: "Review the call flow handout.",
            criterionIds: ["standard_phrasing", "resolution", "timeliness"], metricIds: ["aht_seconds", "fcr"],
            departments: [], sites: [], forManagers: false, groupSize: 10, voluntarySessions: 0),
        Course(
            id: "OB-BUDDY", title: "Onboarding: sitting with a buddy", kind: .onboarding, category: .elective,
            method: .floorShadowing, durationMinutes: 240,
            purpose: "Listen in on live calls beside an experienced colleague and ask everything you want to know.",
            topics: ["Live calls of your queue", "The buddy's shortcuts", "Questions for your team leader"],
            preparation: "A notebook.",
            criterionIds: ["business_accuracy", "service_warmth"], metricIds: ["aht_seconds"],
            departments: [], sites: [], forManagers: false, groupSize: 6, voluntarySessions: 0),
    ]
}
