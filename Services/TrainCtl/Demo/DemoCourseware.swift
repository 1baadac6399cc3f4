/// One approved courseware version per course of the catalogue, approved by a department
/// manager (seed 003: the department manager reviews the courseware): the manager of the
/// course's own department, or for a course of every department the managers in turn.
struct DemoCourseware {
    struct Approval {
        let courseId: String
        let version: String
        let approvedBy: String
    }

    /// Per department (in `DemoCenter.departments` order): its manager's name.
    let managers: [String]
    let approvals: [Approval]

    init(seed: UInt64) {
        let managers = DemoCenter.departments.indices.map { index in
            var random = SplitMix64(seed: seed, stream: "department-managers", index: index)
            return DemoNames.name(&random)
        }
        self.managers = managers
        approvals = DemoCatalogue.courses.enumerated().map { index, course in
            var random = SplitMix64(seed: seed, stream: "courseware", index: index)
            let version = "v\(random.int(1...3)).\(random.int(0...4))"
            let own = course.departments.compactMap { name in DemoCenter.departments.firstIndex { $0.name == name } }.first
            let manager = managers.isEmpty ? "" : managers[own ?? index % managers.count]
            return Approval(courseId: course.id, version: version, approvedBy: manager)
        }
    }
}
